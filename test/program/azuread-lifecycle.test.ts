import { beforeAll, describe, expect, it } from "vitest";
import type { AzureAdProjection, DirectoryUser } from "../../src/model/desired-state.js";
import type { AzureAdTargetSettings } from "../../src/targets/azuread/settings.js";
import { AzureAdTarget } from "../../src/targets/azuread/component.js";
import { AZUREAD_TYPES, AZUREAD_USER_INPUTS } from "../../src/targets/azuread/convert.js";
import { plannedResources, planAzureAd } from "../../src/targets/azuread/plan.js";
import type { AzureAdPrevious } from "../../src/targets/azuread/previous.js";
import { user } from "../support/directory-fixtures.js";
import { recordRegistrations, type Registered } from "../support/pulumi-mocks.js";
import { joinDeclared, optionsCapture, plannedChanges, type Declared } from "./support/capture.js";
import { replacements } from "./support/replacement.js";

const registered: Registered[] = [];
beforeAll(() =>
  recordRegistrations(registered, (args) => ({ objectId: `oid-${args.name}`, ...(args.type === AZUREAD_TYPES.initialPassword ? { result: "pw" } : {}) })),
);

const SETTINGS: AzureAdTargetSettings = { tenantId: "00000000-0000-4000-8000-000000000001" };
const holders = (...keys: string[]) => keys.map((k) => ({ user: k, because: [] }));

async function declare(projection: AzureAdProjection, settings: AzureAdTargetSettings = SETTINGS, previous?: AzureAdPrevious): Promise<Declared[]> {
  const start = registered.length;
  const capture = optionsCapture();
  new AzureAdTarget("azuread", { projection, settings, previous }, { transformations: [capture.transform] });
  const expected = 1 + plannedResources(planAzureAd(projection, settings, previous)).length;
  const deadline = Date.now() + 30_000;
  while (registered.length - start < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 50));
  return joinDeclared(registered.slice(start), capture.byUrn);
}
const find = (d: Declared[], type: string, name: string) => d.find((r) => r.type === type && r.name === name);

const people = (n: number, over: (i: number) => Partial<DirectoryUser> = () => ({})) =>
  Array.from({ length: n }, (_, i) => user(`W${100 + i}`, { managerId: i === 0 ? undefined : "W100", ...over(i) }));

describe("Entra ID users: only what rolecall owns", () => {
  const projection = (users: DirectoryUser[]): AzureAdProjection => ({ users, groups: [{ key: "all", displayName: "All", members: holders(...users.map((u) => u.key)) }], directoryRoles: [] });

  it.each([
    { name: "mover: only the department changes; usageLocation, phones, office and a manager others set survive", change: { department: "Finance" }, planned: { department: "Finance" } },
    { name: "rename: names, UPN and mail update in place", change: { familyName: "Novak", displayName: "Given Novak", userName: "given.novak@example.com", email: "given.novak@example.com" }, planned: { surname: "Novak", displayName: "Given Novak", userPrincipalName: "given.novak@example.com", mail: "given.novak@example.com" } },
    { name: "leave: the account is disabled", change: { state: "leave", active: false }, planned: { accountEnabled: false } },
    { name: "leaver in grace: the account is disabled", change: { state: "leaver", active: false }, planned: { accountEnabled: false } },
    { name: "pre-hire again (rehire in grace before the start date): disabled", change: { state: "prehire", active: false }, planned: { accountEnabled: false } },
  ] as const)("$name", async ({ change, planned }) => {
    const before = await declare(projection([user("W1", { department: "Sales" })]));
    const after = await declare(projection([user("W1", { department: "Sales", ...change })]));
    const was = find(before, AZUREAD_TYPES.user, "W1")!;
    const now = find(after, AZUREAD_TYPES.user, "W1")!;
    const live = { ...was.inputs, usageLocation: "DE", businessPhones: ["+49 30 1"], mobilePhone: "+49 170 1", officeLocation: "Berlin 3.14", managerId: "oid-someone", city: "Berlin" };
    const attributes = AZUREAD_USER_INPUTS.filter((a) => a !== "password");
    expect(plannedChanges(now, live, attributes)).toEqual(planned);
    expect(replacements(before, after).replaced).toEqual({});
  });

  it("maps the HR manager by object ID when the manager has an account here, and leaves it alone otherwise", async () => {
    const d = await declare(projection([user("W1"), user("W2", { managerId: "W1" }), user("W3", { managerId: "W9" })]));
    expect(find(d, AZUREAD_TYPES.user, "W2")!.inputs.managerId).toBe("oid-W1");
    expect(find(d, AZUREAD_TYPES.user, "W2")!.ignoreChanges).not.toContain("managerId");
    expect(find(d, AZUREAD_TYPES.user, "W3")!.inputs).not.toHaveProperty("managerId");
    expect(find(d, AZUREAD_TYPES.user, "W3")!.ignoreChanges).toContain("managerId");
  });

  it("refuses a cycle in the HR manager chain, which would leave the users waiting on each other", () => {
    expect(() => planAzureAd(projection([user("W1", { managerId: "W2" }), user("W2", { managerId: "W1" })]), SETTINGS)).toThrow(/W1 → W2 → W1 form a cycle/);
  });

  it("joiner in a federated domain: created with onpremisesImmutableId = worker ID", async () => {
    const d = await declare(projection([user("W1")]), { ...SETTINGS, federated: true });
    expect(find(d, AZUREAD_TYPES.user, "W1")!.inputs).toMatchObject({ onpremisesImmutableId: "W1", userPrincipalName: "w1@example.com" });
    const plain = await declare(projection([user("W1")]));
    expect(find(plain, AZUREAD_TYPES.user, "W1")!.inputs).not.toHaveProperty("onpremisesImmutableId");
  });
});

describe("Entra ID groups: member by member, so a leaver's removal is always a step of its own", () => {
  const projection = (members: string[]): AzureAdProjection => ({
    users: people(6),
    groups: [{ key: "big", displayName: "Big", members: holders(...members) }],
    directoryRoles: [],
  });
  const users = new Map(people(6).map((u) => [u.key, `oid-${u.key}`]));
  const inlineHolding = (...keys: string[]): AzureAdPrevious => ({
    memberwise: new Set(),
    inline: new Map([["big", { objectId: "gid-big", members: new Set(keys.map((k) => `oid-${k}`)) }]]),
    users,
  });
  const memberwise: AzureAdPrevious = { memberwise: new Set(["big"]), inline: new Map(), users };

  it("a new group of any size is a GroupWithoutMembers and one GroupMember per member, never inline members", async () => {
    const d = await declare(projection(["W100"]));
    expect(find(d, AZUREAD_TYPES.group, "big")).toBeUndefined();
    expect(find(d, AZUREAD_TYPES.groupWithoutMembers, "big")!.inputs).not.toHaveProperty("members");
    expect(d.filter((r) => r.type === AZUREAD_TYPES.groupMember).map((m) => [m.name, m.inputs])).toEqual([["big/W100", { groupObjectId: "oid-big", memberObjectId: "oid-W100" }]]);
  });

  it("a group whose only member leaves: the removal is the delete of that member's GroupMember, the group is kept", async () => {
    const before = await declare(projection(["W100"]), SETTINGS, memberwise);
    const after = await declare(projection([]), SETTINGS, memberwise);
    expect(find(after, AZUREAD_TYPES.groupWithoutMembers, "big")).toBeDefined();
    expect(replacements(before, after)).toEqual({ replaced: {}, created: [], deleted: [`${AZUREAD_TYPES.groupMember}::big/W100`] });
  });

  it("an inline group of an earlier rolecall changes form when no member leaves: alias to the Group, the members it held imported", async () => {
    const d = await declare(projection(["W100", "W101", "W102", "W103"]), SETTINGS, inlineHolding("W100", "W101", "W102"));
    const group = find(d, AZUREAD_TYPES.groupWithoutMembers, "big")!;
    expect(group.aliases).toEqual([{ type: AZUREAD_TYPES.group }]);
    expect(group.inputs).not.toHaveProperty("members");
    expect(find(d, AZUREAD_TYPES.group, "big")).toBeUndefined();
    const members = d.filter((r) => r.type === AZUREAD_TYPES.groupMember);
    expect(members.map((m) => [m.name, m.inputs.groupObjectId, m.inputs.memberObjectId, m.importId])).toEqual([
      ["big/W100", "oid-big", "oid-W100", "gid-big/member/oid-W100"],
      ["big/W101", "oid-big", "oid-W101", "gid-big/member/oid-W101"],
      ["big/W102", "oid-big", "oid-W102", "gid-big/member/oid-W102"],
      ["big/W103", "oid-big", "oid-W103", undefined],
    ]);
  });

  it("an inline group some of whose members leave stays inline this run, its set without them; someone else's member does not hold it back", async () => {
    const d = await declare(projection(["W100"]), SETTINGS, inlineHolding("W100", "W101"));
    expect(find(d, AZUREAD_TYPES.group, "big")!.inputs.members).toEqual(["oid-W100"]);
    expect(d.filter((r) => r.type === AZUREAD_TYPES.groupMember)).toEqual([]);
    const foreign = inlineHolding("W100");
    (foreign.inline.get("big")!.members as Set<string>).add("oid-added-by-someone-else");
    expect(find(await declare(projection(["W100"]), SETTINGS, foreign), AZUREAD_TYPES.groupWithoutMembers, "big")).toBeDefined();
  });

  it("an inline group whose only member leaves is refused, naming the member, rather than left holding them", () => {
    expect(() => planAzureAd(projection([]), SETTINGS, inlineHolding("W100"))).toThrow(
      /azuread group 'big' still holds its members inline[\s\S]*keeps its members \(terraform-provider-azuread#664\), so nothing is applied[\s\S]*Remove W100 \(oid-W100\) from group gid-big/,
    );
  });

  it("a group managed member by member stays so; a leaver's membership is one delete", async () => {
    const before = await declare(projection(["W100", "W101", "W102", "W103"]), SETTINGS, memberwise);
    const after = await declare(projection(["W100", "W101"]), SETTINGS, memberwise);
    expect(find(after, AZUREAD_TYPES.groupWithoutMembers, "big")).toBeDefined();
    expect(replacements(before, after)).toEqual({ replaced: {}, created: [], deleted: [`${AZUREAD_TYPES.groupMember}::big/W102`, `${AZUREAD_TYPES.groupMember}::big/W103`] });
  });
});
