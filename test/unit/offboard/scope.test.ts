import { describe, expect, it } from "vitest";
import type { StateResource } from "../../../src/engine/state-sync.js";
import { revocationScope, withinState } from "../../../src/offboard/scope.js";
import { OKTA_TYPES } from "../../../src/targets/okta/convert.js";

const STACK = "urn:pulumi:local::rolecall::";
const scim = (type: string, name: string, more: Partial<StateResource> = {}): StateResource => ({
  urn: `${STACK}rolecall:targets:Scim$rolecall-scim:index:${type}::${name}`,
  type: `rolecall-scim:index:${type}`,
  ...more,
});
const okta = (type: string, name: string, more: Partial<StateResource> = {}): StateResource => ({ urn: `${STACK}rolecall:targets:Okta$${type}::${name}`, type, ...more });

describe("the resources a fast-path run may touch", () => {
  const leaver = scim("User", "W1010", { id: "u-10" });
  const other = scim("User", "W1011", { id: "u-11" });
  const staff = scim("Group", "all-staff", { id: "g-1", inputs: { members: ["u-10", "u-11"] }, dependencies: [leaver.urn, other.urn] });
  const admins = scim("Group", "it-admins", { id: "g-2", inputs: { members: ["u-11"] }, dependencies: [other.urn] });

  it("are the leavers' accounts and the groups listing them, by real URN (not a display form of it)", () => {
    expect(revocationScope([leaver, other, staff, admins], new Set(["W1010"]))).toEqual({ urns: [staff.urn, leaver.urn].sort(), groups: new Set(["all-staff"]) });
  });

  it("find a group by its member list when the state no longer records the member as a dependency", () => {
    // What an earlier fast-path run leaves: the group's other members declared by id, not by reference.
    const afterFastPath = { ...staff, dependencies: [] };
    expect(revocationScope([leaver, other, afterFastPath, admins], new Set(["W1011"]))).toEqual({ urns: [afterFastPath.urn, admins.urn, other.urn].sort(), groups: new Set(["all-staff", "it-admins"]) });
  });

  it("find a group whose members the state holds packed one per line", () => {
    const packed = { ...staff, inputs: { members: ["u-09\nu-10\nu-12"] }, dependencies: [] };
    expect(revocationScope([leaver, other, packed, admins], new Set(["W1010"]))).toEqual({ urns: [packed.urn, leaver.urn].sort(), groups: new Set(["all-staff"]) });
  });

  it("take in what depends on a leaver's account: per-holder memberships and roles", () => {
    const user = okta(OKTA_TYPES.user, "W1010", { id: "00u1" });
    const memberships = okta(OKTA_TYPES.userGroupMemberships, "W1010", { inputs: { groups: ["00g1"] }, dependencies: [user.urn] });
    const unrelated = okta(OKTA_TYPES.userGroupMemberships, "W1011", { inputs: { groups: ["00g1"] }, dependencies: [okta(OKTA_TYPES.user, "W1011").urn] });
    expect(revocationScope([user, memberships, unrelated], new Set(["W1010"]))).toEqual({ urns: [memberships.urn, user.urn].sort(), groups: new Set() });
  });

  it("are empty when no leaver has an account in the state", () => {
    expect(revocationScope([other, admins], new Set(["W1010"]))).toEqual({ urns: [], groups: new Set() });
  });
});

describe("a fast-path run's part after its refresh", () => {
  const leaver = scim("User", "W1010", { id: "u-10" });
  const gone = scim("User", "W1012", { id: "u-12" });
  const staff = scim("Group", "all-staff", { id: "g-1", inputs: { members: ["u-10", "u-12"] } });
  const sales = scim("Group", "sales", { id: "g-3", inputs: { members: ["u-12"] } });
  const part = { accounts: new Set(["W1010", "W1012"]), groups: new Set(["all-staff", "sales"]), urns: [leaver.urn, gone.urn, staff.urn, sales.urn].sort() };

  it("keeps only what the state still holds: the engine refuses a target it cannot find", () => {
    // The refresh found W1012's account and the sales group already gone from the target.
    expect(withinState(part, [leaver, staff])).toEqual({ accounts: part.accounts, groups: new Set(["all-staff"]), urns: [leaver.urn, staff.urn].sort() });
  });
});
