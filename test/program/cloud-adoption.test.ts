import type * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { adoptionFacts, completeAdoption } from "../../src/inventory/adoption-holdings.js";
import { compile } from "../../src/compile/compile.js";
import { decideAdoption } from "../../src/inventory/adoption.js";
import { correlate } from "../../src/inventory/correlate.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import type { AdoptionDecision, AdoptionPlan } from "../../src/model/adoption.js";
import type { DirectoryUser } from "../../src/model/desired-state.js";
import type { LiveAccount, LiveDirectory } from "../../src/model/inventory.js";
import { AwsTarget } from "../../src/targets/aws/component.js";
import { identityStoreUserName } from "../../src/targets/aws/convert.js";
import { AzureAdTarget } from "../../src/targets/azuread/component.js";
import { AZUREAD_GROUP_UNSET_FORCE_NEW, AZUREAD_TYPES, azureAdGroupFields } from "../../src/targets/azuread/convert.js";
import { OktaTarget } from "../../src/targets/okta/component.js";
import { OKTA_TYPES } from "../../src/targets/okta/convert.js";
import { OKTA_COMPONENT_TYPE } from "../../src/targets/okta/previous.js";
import { buildPlan } from "../../src/evidence/plan-model.js";
import { ALL_TARGETS } from "../../src/targets/registry.js";
import { recordRegistrations, type Registered } from "../support/pulumi-mocks.js";
import { joinDeclared, optionsCapture, type Declared } from "./support/capture.js";
import { replacingInputs } from "./support/replacement.js";

/**
 * Brownfield adoption into Okta, Entra ID and AWS Identity Center, through the same path a run
 * takes: a live read correlated with HR, decideAdoption with each target's facts bound to the
 * stack's settings (cli/adoption-run.ts), then the component declared with that adoption. The
 * mocked engine sees each resource's import ID as the registration's `id` (MockResourceArgs).
 */
const registered: Registered[] = [];
/** The import ID the engine received with each registration, by index into `registered`. */
const importIds: (string | undefined)[] = [];
beforeAll(() =>
  recordRegistrations(registered, (args) => {
    importIds[registered.length - 1] = args.id || undefined;
    return { objectId: `oid-${args.name}`, userId: `uid-${args.name}`, groupId: `gid-${args.name}`, result: "pw", templateId: "tid", arn: `arn-${args.name}` };
  }),
);

const desired = compile(await loadDesiredState("desired-state"), "2026-11-25");
const RULES = ["externalId", "email", "userName"] as const;
const STORE = "d-1234567890";
const SETTINGS = {
  okta: { orgName: "dev-123456", baseUrl: "okta.com" },
  azuread: { tenantId: "00000000-0000-4000-8000-000000000001" },
  aws: { region: "eu-central-1", identityStoreId: STORE, instanceArn: "arn:aws:sso:::instance/ssoins-1234567890abcdef" },
} as const;
type Cloud = keyof typeof SETTINGS;
const settingsOf = <N extends Cloud>(name: N) => ALL_TARGETS.find((t) => t.name === name)!.schemas.settings.parse(SETTINGS[name]) as never;

const projectionOf = (name: Cloud) => desired.targets[name]!;
const adoptedGroup = (name: Cloud) => projectionOf(name).groups.find((g) => g.members.length > 1)!;
/** An active person who is a declared member of the adopted group. */
const adoptee = (name: Cloud): DirectoryUser => {
  const members = new Set(adoptedGroup(name).members.map((m) => m.user));
  return projectionOf(name).users.find((u) => u.kind === "person" && u.active && !u.protected && members.has(u.key))!;
};

interface Case {
  name: Cloud;
  accountType: string;
  groupType: string;
  /** The live ids of the existing account and group, and the import IDs the provider documents for them. */
  ids: { account: string; group: string; accountImport: string; groupImport: string };
  /** The membership resource of a member the adopted group already holds, and its import ID; absent where adding an existing member is a no-op (Okta). */
  membership?: { type: string; importId: string };
  /** The account's userName as the target holds it (rolecall's own where it names accounts otherwise). */
  liveUserName: (u: DirectoryUser) => string;
  /** What the target holds of the adopted account and group beyond rolecall's inputs: the values a ForceNew input is compared with. */
  live: { account: Record<string, unknown>; group: Record<string, unknown> };
  declare: (projection: never, adoption: AdoptionPlan, opts: pulumi.ComponentResourceOptions) => void;
}

const CASES: Case[] = [
  {
    name: "okta",
    accountType: OKTA_TYPES.user,
    groupType: OKTA_TYPES.group,
    ids: { account: "00u1live", group: "00g1live", accountImport: "00u1live", groupImport: "00g1live" },
    liveUserName: (u) => u.userName,
    live: { account: {}, group: {} },
    declare: (projection, adoption, opts) => void new OktaTarget("okta", { projection, settings: settingsOf("okta"), adoption }, opts),
  },
  {
    name: "azuread",
    accountType: AZUREAD_TYPES.user,
    groupType: AZUREAD_TYPES.groupWithoutMembers,
    ids: {
      account: "11111111-1111-4111-8111-111111111111",
      group: "22222222-2222-4222-8222-222222222222",
      accountImport: "/users/11111111-1111-4111-8111-111111111111",
      groupImport: "/groups/22222222-2222-4222-8222-222222222222",
    },
    membership: { type: AZUREAD_TYPES.groupMember, importId: "22222222-2222-4222-8222-222222222222/member/11111111-1111-4111-8111-111111111111" },
    liveUserName: (u) => u.userName,
    // A Microsoft 365 group made by hand: every ForceNew attribute differs from what rolecall leaves unset.
    live: { account: {}, group: { types: ["Unified"], mailNickname: "allstaff", visibility: "Public", assignableToRole: true, behaviors: ["WelcomeEmailDisabled"], provisioningOptions: ["Team"] } },
    declare: (projection, adoption, opts) => void new AzureAdTarget("azuread", { projection, settings: settingsOf("azuread"), adoption }, opts),
  },
  {
    name: "aws",
    accountType: "aws:identitystore/user:User",
    groupType: "aws:identitystore/group:Group",
    ids: { account: "9067-live-user", group: "b8a1-live-group", accountImport: `${STORE}/9067-live-user`, groupImport: `${STORE}/b8a1-live-group` },
    membership: { type: "aws:identitystore/groupMembership:GroupMembership", importId: `${STORE}/m-live-1` },
    liveUserName: (u) => identityStoreUserName(u, {}),
    live: { account: { identityStoreId: STORE }, group: { identityStoreId: STORE } },
    declare: (projection, adoption, opts) => void new AwsTarget("aws", { projection, settings: settingsOf("aws"), adoption }, opts),
  },
];

function decide(name: Cloud, live: LiveDirectory, decisions: AdoptionDecision[] = []) {
  const target = ALL_TARGETS.find((t) => t.name === name)!;
  const { inventory } = correlate({ target: name, live, desired, rules: RULES, held: target.held, readAt: "2026-11-25T00:00:00Z" });
  const document = { schemaVersion: 1 as const, stack: "test", asOf: desired.asOf, correlation: [...RULES], targets: [inventory], unread: [] };
  const settings = { [name]: settingsOf(name) };
  const decided = decideAdoption({
    inventory: document,
    live: { [name]: live },
    desired,
    decisions: decisions.map((value, i) => ({ value, at: { file: "adoption.yaml", line: 2 + i } })),
    orphans: {},
    facts: adoptionFacts(settings),
  });
  // As cli/adoption-run.ts does next: the holdings already live, and changes only of what the target sets.
  const completed = completeAdoption(decided.plan, document, { [name]: live }, desired, settings);
  return { plan: completed.plan, findings: [...decided.findings, ...completed.findings] };
}

async function declared(c: Case, adoption: AdoptionPlan): Promise<{ resources: Declared[]; imports: Map<string, string> }> {
  const start = registered.length;
  const capture = optionsCapture();
  c.declare(projectionOf(c.name) as never, adoption, { transformations: [capture.transform] });
  let seen = -1;
  while (seen !== registered.length) {
    seen = registered.length;
    await new Promise((r) => setTimeout(r, 100));
  }
  const imports = new Map<string, string>();
  registered.slice(start).forEach((r, i) => {
    const id = importIds[start + i];
    if (id) imports.set(`${r.type}::${r.name}`, id);
  });
  return { resources: joinDeclared(registered.slice(start), capture.byUrn), imports };
}

describe.each(CASES.map((c) => [c.name, c] as const))("brownfield adoption into %s", (name, c) => {
  const user = adoptee(name);
  const group = adoptedGroup(name);
  const account: LiveAccount = { id: c.ids.account, userName: c.liveUserName(user), externalId: user.externalId, emails: ["someone.else@example.com"], active: true };
  // The group already holds the adopted account (the membership has its own id in Identity Center).
  const live: LiveDirectory = { accounts: [account], items: [{ kind: "group", id: c.ids.group, displayName: group.displayName!, members: [c.ids.account], memberships: { [c.ids.account]: "m-live-1" } }] };

  it("adopts the linked account and the matching group with the provider's import ID, and declares nothing else imported", async () => {
    const { plan, findings } = decide(name, live);
    expect(findings).toEqual([]);
    expect(plan.adoptions.map((a) => [a.kind, a.key, a.importId])).toEqual([
      ["account", user.key, c.ids.accountImport],
      ["group", group.key, c.ids.groupImport],
    ]);
    // What adoption changes on the account is listed: the email the live account holds is not rolecall's.
    expect(plan.adoptions[0]!.changes).toContainEqual({ field: "email", from: "someone.else@example.com", to: user.email });

    const { resources, imports } = await declared(c, plan);
    expect(Object.fromEntries(imports)).toEqual({
      [`${c.accountType}::${user.key}`]: c.ids.accountImport,
      [`${c.groupType}::${group.key}`]: c.ids.groupImport,
      // The member it already holds is imported, not added again; the other declared members are added.
      ...(c.membership ? { [`${c.membership.type}::${group.key}/${user.key}`]: c.membership.importId } : {}),
    });
    expect(plan.memberships ?? []).toEqual(c.membership ? [{ target: name, kind: "group", item: group.key, member: user.key, importId: c.membership.importId }] : []);
    // The option the component gave is the one the engine received.
    expect(Object.fromEntries(resources.filter((r) => r.importId).map((r) => [`${r.type}::${r.name}`, r.importId]))).toEqual(Object.fromEntries(imports));
  });

  it("declares the adopted account and group with rolecall's values, and with no input that would replace what exists", async () => {
    const { plan } = decide(name, live);
    const { resources } = await declared(c, plan);
    const accountResource = resources.find((r) => r.type === c.accountType && r.name === user.key)!;
    const groupResource = resources.find((r) => r.type === c.groupType && r.name === group.key)!;
    for (const [resource, held] of [
      [accountResource, { ...c.live.account, userName: c.liveUserName(user) }],
      [groupResource, c.live.group],
    ] as const) {
      // Every ForceNew input either holds what the target holds or is left as the target has it.
      const live_ = held as Record<string, unknown>;
      const forcing = replacingInputs(resource.type).filter((input) => !resource.ignoreChanges.includes(input) && !(input in live_ && JSON.stringify(resource.inputs[input]) === JSON.stringify(live_[input])));
      expect(forcing, `${resource.type} ${resource.name}`).toEqual([]);
    }
    // The group keeps the live ForceNew attributes rolecall does not set (an adopted Microsoft 365 group is not recreated).
    for (const input of Object.keys(c.live.group).filter((k) => k !== "identityStoreId")) expect(groupResource.ignoreChanges).toContain(input);
  });

  it("imports nothing when nothing is adopted", async () => {
    const { imports } = await declared(c, { adoptions: [], orphans: [] });
    expect([...imports]).toEqual([]);
  });
});

describe("what adoption cannot do in place", () => {
  it("refuses to adopt an Identity Center group whose live read gave no id of a membership it already holds: its create would fail", () => {
    const group = adoptedGroup("aws");
    const user = adoptee("aws");
    const live: LiveDirectory = {
      accounts: [{ id: "u1", userName: identityStoreUserName(user, {}), externalId: user.externalId, emails: [user.email] }],
      items: [{ kind: "group", id: "g1", displayName: group.displayName!, members: ["u1"] }],
    };
    const { findings } = decide("aws", live);
    expect(findings.map((f) => [f.code, f.severity])).toEqual([["adoption-membership-unknown", "error"]]);
  });

  it("leaves every ForceNew input of an Entra ID group that rolecall does not set as the tenant has it (the provider facts' list)", () => {
    for (const type of [AZUREAD_TYPES.group, AZUREAD_TYPES.groupWithoutMembers]) expect([...AZUREAD_GROUP_UNSET_FORCE_NEW].sort()).toEqual([...replacingInputs(type)].sort());
    const set = Object.keys(azureAdGroupFields({ displayName: "All Staff", description: "everyone" }));
    for (const input of AZUREAD_GROUP_UNSET_FORCE_NEW) expect(set).not.toContain(input);
  });

  const user = adoptee("aws");
  const decision = (userName: string): AdoptionDecision => ({ target: "aws", account: "9067-hand-made", userName, belongsTo: user.key, reason: "checked with IT: Björn's hand-made user" });

  it("refuses an AWS user whose userName is not rolecall's: userName forces a new user, and an existing one is never deleted and recreated", () => {
    const handMade: LiveAccount = { id: "9067-hand-made", userName: "bjorn.okafor@corp.example", emails: [user.email] };
    const { plan, findings } = decide("aws", { accounts: [handMade], items: [] }, [decision(handMade.userName)]);
    expect(plan.adoptions).toEqual([]);
    expect(findings.map((f) => [f.code, f.file])).toEqual([["adoption-replaces", "adoption.yaml"]]);
    expect(findings[0]!.message).toContain(`userName 'bjorn.okafor@corp.example' → '${identityStoreUserName(user, {})}'`);
    expect(findings[0]!.hint).toContain(`set the account's userName to '${identityStoreUserName(user, {})}' in aws first`);
  });

  it("adopts the same AWS user once its userName is rolecall's (the worker ID, plus the stack's suffix)", () => {
    const renamed: LiveAccount = { id: "9067-hand-made", userName: identityStoreUserName(user, {}), emails: [user.email] };
    const { plan, findings } = decide("aws", { accounts: [renamed], items: [] }, [decision(renamed.userName)]);
    expect(findings).toEqual([]);
    expect(plan.adoptions.map((a) => [a.key, a.importId])).toEqual([[user.key, `${STORE}/9067-hand-made`]]);
    expect(plan.adoptions[0]!.changes.map((ch) => ch.field)).not.toContain("userName");
  });

  it("adopts an Okta or Entra ID account whose login differs: the login changes in place", () => {
    for (const name of ["okta", "azuread"] as const) {
      const u = adoptee(name);
      const { plan, findings } = decide(name, { accounts: [{ id: "x1", userName: "old.login@example.com", externalId: u.externalId, emails: [u.email] }], items: [] });
      expect(findings, name).toEqual([]);
      expect(plan.adoptions[0]!.changes, name).toContainEqual({ field: "userName", from: "old.login@example.com", to: u.userName });
    }
  });
});

describe("an adopted Okta account's status", () => {
  it("is the lifecycle's, declared rather than held, and SUSPENDED where a new account would be STAGED (Okta takes STAGED only at creation)", async () => {
    const c = CASES.find((k) => k.name === "okta")!;
    const active = adoptee("okta");
    const prehire = projectionOf("okta").users.find((u) => u.state === "prehire")!;
    const live: LiveDirectory = { accounts: [active, prehire].map((u, i) => ({ id: `00u${i}`, userName: u.userName, externalId: u.externalId, emails: [u.email] })), items: [] };
    const { plan, findings } = decide("okta", live);
    expect(findings).toEqual([]);
    expect(plan.adoptions.map((a) => a.key).sort()).toEqual([active.key, prehire.key].sort());
    const { resources } = await declared(c, plan);
    const of = (key: string) => resources.find((r) => r.type === OKTA_TYPES.user && r.name === key)!;
    expect([of(active.key).inputs.status, of(prehire.key).inputs.status]).toEqual(["ACTIVE", "SUSPENDED"]);
    for (const key of [active.key, prehire.key]) expect(of(key).ignoreChanges, key).not.toContain("status");
  });
});

describe("an adopted Okta account's admin roles", () => {
  it("are imported by the account's Okta id, since assigning a role the user already holds fails; the declared set is applied after", async () => {
    const c = CASES.find((k) => k.name === "okta")!;
    const okta = desired.targets.okta!;
    const holder = okta.adminRoles.flatMap((r) => r.members.map((m) => okta.users.find((u) => u.key === m.user)!)).find((u) => !u.protected && u.active)!;
    const { plan, findings } = decide("okta", { accounts: [{ id: "00uadmin", userName: holder.userName, externalId: holder.externalId, emails: [holder.email] }], items: [] });
    expect(findings).toEqual([]);
    const { imports } = await declared(c, plan);
    expect(Object.fromEntries(imports)).toEqual({ [`${OKTA_TYPES.user}::${holder.key}`]: "00uadmin", [`${OKTA_TYPES.userAdminRoles}::${holder.key}`]: "00uadmin" });
  });
});

describe("an adopted Entra ID account's directory roles", () => {
  const azuread = desired.targets.azuread!;
  const role = azuread.directoryRoles.find((r) => r.members.some((m) => azuread.users.find((u) => u.key === m.user && !u.protected && u.active)))!;
  const holder = azuread.users.find((u) => role.members.some((m) => m.user === u.key) && !u.protected && u.active)!;
  const liveRole = (memberships?: Record<string, string>) => ({ kind: "directoryRole", id: "62e90394-69f5-4237-9190-012177145e10", displayName: role.displayName, members: ["oid-live"], ...(memberships ? { memberships } : {}) });
  const account = { id: "oid-live", userName: holder.userName, externalId: holder.externalId, emails: [holder.email] };

  it("are imported by the assignment's id when the user holds them already, since Graph refuses a second assignment", async () => {
    const { plan, findings } = decide("azuread", { accounts: [account], items: [liveRole({ "oid-live": "ePROZI_assignment" })] });
    expect(findings).toEqual([]);
    expect(plan.memberships).toEqual([{ target: "azuread", kind: "directoryRole", item: role.key, member: holder.key, importId: "ePROZI_assignment" }]);
    const { imports } = await declared(CASES.find((k) => k.name === "azuread")!, plan);
    expect(imports.get(`${AZUREAD_TYPES.directoryRoleAssignment}::${role.key}/${holder.key}`)).toBe("ePROZI_assignment");
  });

  it("refuse the run when the live read gave no assignment id: its create would fail", () => {
    const { findings } = decide("azuread", { accounts: [account], items: [liveRole()] });
    expect(findings.map((f) => f.code)).toEqual(["adoption-membership-unknown"]);
  });
});

describe("what adoption says it changes", () => {
  it("names a status change only where the target sets one: Identity Center has no enabled field, Okta and Entra ID do", () => {
    for (const [name, says] of [["aws", false], ["okta", true], ["azuread", true]] as const) {
      const u = adoptee(name);
      const userName = name === "aws" ? identityStoreUserName(u, {}) : u.userName;
      const { plan } = decide(name, { accounts: [{ id: "x1", userName, externalId: u.externalId, emails: [u.email], active: false }], items: [] });
      expect(plan.adoptions[0]!.changes.some((ch) => ch.field === "active"), name).toBe(says);
    }
  });

  it("lists only the status for an Okta leaver in grace: a DEPROVISIONED account takes no profile change", () => {
    const u = adoptee("okta");
    const inGrace = structuredClone(desired);
    Object.assign(inGrace.targets.okta!.users.find((x) => x.key === u.key)!, { state: "leaver", active: false });
    const changes = [
      { field: "userName", from: "old.login@example.com", to: u.userName },
      { field: "active", from: "true", to: "false" },
    ];
    const adoption = { target: "okta", kind: "account" as const, key: u.key, id: "x2", name: "old.login@example.com", because: "matched by externalId", importId: "x2", changes };
    const { plan } = completeAdoption({ adoptions: [adoption], orphans: [] }, { schemaVersion: 1, stack: "test", asOf: desired.asOf, correlation: [...RULES], targets: [], unread: [] }, {}, inGrace, { okta: settingsOf("okta") });
    expect(plan.adoptions[0]!.changes).toEqual([{ field: "active", from: "true", to: "false" }]);
    expect(completeAdoption({ adoptions: [adoption], orphans: [] }, { schemaVersion: 1, stack: "test", asOf: desired.asOf, correlation: [...RULES], targets: [], unread: [] }, {}, desired, { okta: settingsOf("okta") }).plan.adoptions[0]!.changes).toEqual(changes);
  });
});

describe("the plan of an adopting run", () => {
  it("shows the adopted account and group under adopt, with the engine's import then update of the account, and counts them adopted", () => {
    const c = CASES.find((k) => k.name === "okta")!;
    const user = adoptee("okta");
    const group = adoptedGroup("okta");
    const { plan: adoption } = decide("okta", {
      accounts: [{ id: c.ids.account, userName: "old.login@example.com", externalId: user.externalId, emails: [user.email] }],
      items: [{ kind: "group", id: c.ids.group, displayName: group.displayName!, members: [] }],
    });
    const step = (op: string, type: string, name: string, diffs: string[] = []) => ({ op, urn: `urn:pulumi:test::rolecall::${OKTA_COMPONENT_TYPE}$${type}::${name}`, type, name, target: "okta", diffs });
    // As the engine reports an adoption (pkg/engine/lifecycletest TestImportOption): the import, then an update of what differs.
    const steps = [step("import", OKTA_TYPES.user, user.key), step("update", OKTA_TYPES.user, user.key, ["login"]), step("import", OKTA_TYPES.group, group.key)];
    const core = buildPlan(steps, desired, undefined, ["okta"], undefined, adoption);
    expect(core.adoptions?.map((a) => [a.kind, a.key, a.op, a.importId])).toEqual([
      ["account", user.key, "import", c.ids.accountImport],
      ["group", group.key, "import", c.ids.groupImport],
    ]);
    const person = core.people.find((p) => p.id === user.key)!;
    expect(person.change).toBe("adopted");
    expect(person.account).toEqual([
      { target: "okta", op: "import", changed: [] },
      { target: "okta", op: "update", changed: ["login"] },
    ]);
    expect(core.summary.adopted).toBe(2);
    expect(core.adoptions![0]!.changes).toContainEqual({ field: "userName", from: "old.login@example.com", to: user.userName });
  });
});

describe("an Entra ID account's userName on adoption", () => {
  it("is compared with the UPN rolecall declares, on the upnDomain when the stack sets one", () => {
    const u = adoptee("azuread");
    const upn = `${u.userName.slice(0, u.userName.indexOf("@"))}@contoso.onmicrosoft.com`;
    const facts = adoptionFacts({ azuread: settingsOf("azuread") }).azuread!;
    expect(facts.userName!(u)).toBe(u.userName);
    const onDomain = adoptionFacts({ azuread: { ...SETTINGS.azuread, upnDomain: "contoso.onmicrosoft.com" } }).azuread!;
    expect(onDomain.userName!(u)).toBe(upn);
  });
});
