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
  const olds = { displayName: "Eng", externalId: "eng", members: ["a\nb\nc\nd"], scimId: "g1" };

  it("reports a membership that differs as one update of members", () => {
    const news = { displayName: "Eng", externalId: "eng", members: ["a\nc\nd\ne\nf"] };
    expect(groupType.diff(olds, news)).toEqual({ diffs: ["members"], detailedDiff: { members: "update" } });
  });

  it("compares the ids, however they are packed or ordered", () => {
    expect(groupType.diff(olds, { ...olds, members: ["d", "c\nb", "a"] })).toEqual({ diffs: [], detailedDiff: {} });
    expect(groupType.diff({ ...olds, members: ["a", "b", "c", "d"] }, { ...olds, members: ["a\nb\nc\nd"] }).diffs).toEqual([]);
  });

  it("reports members still to be created as a change", () => {
    expect(groupType.diff(olds, { ...olds, members: ["a\nb\nc\nd", UNKNOWN] }).detailedDiff).toEqual({ members: "update" });
    expect(groupType.diff(olds, { ...olds, members: UNKNOWN }).detailedDiff).toEqual({ members: "update" });
  });

  it("reports a renamed group as an update", () => {
    expect(groupType.diff(olds, { ...olds, displayName: "Engineering" })).toEqual({
      diffs: ["displayName"],
      detailedDiff: { displayName: "update" },
    });
  });
});

describe("diffProperties", () => {
  const ids = fc.uniqueArray(fc.constantFrom("a", "b", "c", "d", "e", "f", "g"), { maxLength: 7 });
  // The same ids split into elements of one or more ids each, in any order.
  const listed = (xs: string[]) => fc.shuffledSubarray(xs, { minLength: xs.length, maxLength: xs.length }).chain((order) => fc.array(fc.boolean(), { minLength: order.length, maxLength: order.length }).map((breaks) => order.reduce<string[]>((list, id, i) => (i > 0 && !breaks[i] ? [...list.slice(0, -1), `${list.at(-1)}\n${id}`] : [...list, id]), [])));

  it("reports members changed exactly when the sets of ids differ", () => {
    fc.assert(
      fc.property(ids.chain((b) => ids.chain((a) => fc.tuple(fc.constant(b), fc.constant(a), listed(b), listed(a)))), ([before, after, olds, news]) => {
        const { detailedDiff, diffs } = diffProperties({ members: olds }, { members: news }, { sets: ["members"] });
        const differ = before.length !== after.length || before.some((x) => !after.includes(x));
        expect(diffs).toEqual(differ ? ["members"] : []);
        expect(detailedDiff).toEqual(differ ? { members: "update" } : {});
      }),
    );
  });
});
