import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eqFilter } from "../../../src/targets/scim/provider/filter.js";
import { memberPatchRequests } from "../../../src/targets/scim/provider/member-patch.js";

describe("eqFilter", () => {
  it("quotes the value as a JSON string so it cannot escape the literal", () => {
    expect(eqFilter("userName", 'a"b\\c')).toBe('userName eq "a\\"b\\\\c"');
    fc.assert(
      fc.property(fc.string(), (value) => {
        const literal = eqFilter("userName", value).slice("userName eq ".length);
        expect(JSON.parse(literal)).toBe(value);
      }),
    );
  });
});

describe("memberPatchRequests", () => {
  it("builds nothing for no changes", () => {
    expect(memberPatchRequests({ add: [], remove: [] })).toEqual([]);
  });

  it("uses one add op and one filtered remove op per removed member", () => {
    expect(memberPatchRequests({ add: [], remove: ['we"ird', "u2"] })[0]?.Operations).toEqual([
      { op: "remove", path: 'members[value eq "we\\"ird"]' },
      { op: "remove", path: 'members[value eq "u2"]' },
    ]);
  });

  it("covers every change exactly once, in chunks of the given size", () => {
    const ids = fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,8}$/), { maxLength: 60 });
    fc.assert(
      fc.property(ids, ids, fc.integer({ min: 1, max: 25 }), (add, removeAll, size) => {
        const remove = removeAll.filter((id) => !add.includes(id));
        const requests = memberPatchRequests({ add, remove }, size);
        const added: string[] = [];
        const removed: string[] = [];
        for (const request of requests) {
          let count = 0;
          for (const op of request.Operations) {
            if (op.op === "add") {
              const values = (op.value as { value: string }[]).map((v) => v.value);
              added.push(...values);
              count += values.length;
            } else {
              removed.push(JSON.parse(/^members\[value eq (.*)\]$/.exec(op.path ?? "")?.[1] ?? "null") as string);
              count++;
            }
          }
          expect(count).toBeGreaterThan(0);
          expect(count).toBeLessThanOrEqual(size);
        }
        expect(added).toEqual(add);
        expect(removed).toEqual(remove);
        expect(requests).toHaveLength(Math.ceil((add.length + remove.length) / size));
      }),
    );
  });
});
