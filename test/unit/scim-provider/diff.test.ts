import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffProperties } from "../../../src/targets/scim/provider/diff.js";
import { groupType } from "../../../src/targets/scim/provider/group.js";
import { userType } from "../../../src/targets/scim/provider/user.js";
import { UNKNOWN } from "../../../src/targets/scim/provider/values.js";
import { ada } from "./inputs.js";

describe("user diff", () => {
  it("is empty when nothing changed, whatever the output-only scimId", () => {
    expect(userType.diff({ ...ada, scimId: "u1" }, ada)).toEqual({ diffs: [], detailedDiff: {} });
  });

  it("reports a rename and a new externalId as updates, never replaces", () => {
    const result = userType.diff({ ...ada, scimId: "u1" }, { ...ada, userName: "ada.l", externalId: "W2" });
    expect(result).toEqual({ diffs: ["externalId", "userName"], detailedDiff: { externalId: "update", userName: "update" } });
  });

  it("reports an optional title as add and delete", () => {
    expect(userType.diff(ada, { ...ada, title: "CTO" }).detailedDiff).toEqual({ title: "add" });
    expect(userType.diff({ ...ada, title: "CTO" }, ada).detailedDiff).toEqual({ title: "delete" });
    expect(userType.diff({ ...ada, title: null }, ada).detailedDiff).toEqual({});
  });

  it("treats an unknown new value as a change", () => {
    expect(userType.diff(ada, { ...ada, email: UNKNOWN }).detailedDiff).toEqual({ email: "update" });
  });
});

describe("group diff", () => {
  const olds = { displayName: "Eng", externalId: "eng", members: ["a", "b", "c", "d"], scimId: "g1" };

  it("reports removed members at their old index and added ones at their new index", () => {
    const news = { displayName: "Eng", externalId: "eng", members: ["a", "c", "d", "e", "f"] };
    expect(groupType.diff(olds, news)).toEqual({
      diffs: ["members"],
      detailedDiff: { "members[1]": "delete", "members[3]": "add", "members[4]": "add" },
    });
  });

  it("merges a removal and an addition at one index into an update", () => {
    const news = { displayName: "Eng", externalId: "eng", members: ["a", "b", "c", "x"] };
    expect(groupType.diff(olds, news).detailedDiff).toEqual({ "members[3]": "update" });
  });

  it("reports members still to be created as additions", () => {
    const news = { displayName: "Eng", externalId: "eng", members: ["a", "b", "c", "d", UNKNOWN] };
    expect(groupType.diff(olds, news).detailedDiff).toEqual({ "members[4]": "add" });
    expect(groupType.diff(olds, { ...news, members: UNKNOWN }).detailedDiff).toEqual({ members: "update" });
  });

  it("reports a renamed group as an update", () => {
    expect(groupType.diff(olds, { ...olds, displayName: "Engineering" })).toEqual({
      diffs: ["displayName"],
      detailedDiff: { displayName: "update" },
    });
  });
});

describe("diffProperties", () => {
  const sets = fc.uniqueArray(fc.constantFrom("a", "b", "c", "d", "e", "f", "g"), { maxLength: 7 }).map((xs) => [...xs].sort());

  it("accounts for every set element that changed and nothing else", () => {
    fc.assert(
      fc.property(sets, sets, (before, after) => {
        const { detailedDiff, diffs } = diffProperties({ members: before }, { members: after }, { sets: ["members"] });
        const removed = before.filter((x) => !after.includes(x));
        const added = after.filter((x) => !before.includes(x));
        expect(diffs).toEqual(removed.length + added.length > 0 ? ["members"] : []);
        const touchedOld = new Set<string>();
        const touchedNew = new Set<string>();
        for (const [path, kind] of Object.entries(detailedDiff)) {
          const index = Number(/^members\[(\d+)\]$/.exec(path)?.[1]);
          if (kind !== "add") touchedOld.add(before[index] ?? "?");
          if (kind !== "delete") touchedNew.add(after[index] ?? "?");
        }
        expect([...touchedOld].sort()).toEqual(removed);
        expect([...touchedNew].sort()).toEqual(added);
      }),
    );
  });
});
