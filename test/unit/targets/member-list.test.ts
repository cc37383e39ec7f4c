import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { listedIds, packIds } from "../../../src/targets/member-list.js";

describe("membership lists packed one id per line", () => {
  const ids = fc.uniqueArray(fc.stringMatching(/^[\w-]{1,12}$/), { maxLength: 40 });

  it("read back as the ids packed, in one canonical order whatever the order given", () => {
    fc.assert(
      fc.property(ids, (xs) => {
        expect(listedIds(packIds(xs))).toEqual([...xs].sort());
        expect(packIds([...xs].reverse())).toEqual(packIds(xs));
        expect(packIds(xs)).toHaveLength(xs.length === 0 ? 0 : 1);
      }),
    );
  });

  it("read lists of one id per element, as states written before packing hold them, the same way", () => {
    expect(listedIds(["u2", "u1\nu3", 7, null])).toEqual(["u2", "u1", "u3"]);
    expect(listedIds(undefined)).toEqual([]);
    expect(packIds(["b", "a", "b"])).toEqual(["a\nb"]);
  });
});
