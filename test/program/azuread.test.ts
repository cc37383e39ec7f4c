import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile/compile.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import type { AzureAdProjection, DesiredState } from "../../src/model/desired-state.js";
import type { Inputs } from "../../src/model/inputs.js";
import type { AzureAdTargetSettings } from "../../src/targets/azuread/settings.js";
import { AzureAdTarget } from "../../src/targets/azuread/component.js";
import { AZUREAD_TYPES } from "../../src/targets/azuread/convert.js";
import { replacingInputs } from "./support/replacement.js";
import { planAzureAd, plannedResources } from "../../src/targets/azuread/plan.js";
import type { AzureAdPrevious, AppliedRoleAssignment } from "../../src/targets/azuread/previous.js";
import { recordRegistrations, type Registered } from "../support/pulumi-mocks.js";

/** A resource as it was constructed, with the options the mocks don't receive. */
interface Constructed {
  type: string;
  name: string;
  protect: boolean;
  ignoreChanges: string[];
}

const AS_OF = "2026-11-25";
const SETTINGS: AzureAdTargetSettings = { tenantId: "00000000-0000-4000-8000-000000000001" };
const registered: Registered[] = [];

beforeAll(() =>
  recordRegistrations(registered, (args) => {
    // What the real provider computes: object IDs for directory objects, the role's template ID.
    const computed: Record<string, unknown> = { objectId: `oid-${args.name}` };
    if (args.type === AZUREAD_TYPES.directoryRole) computed.templateId = `tmpl-${args.name}`;
    if (args.type === AZUREAD_TYPES.initialPassword) computed.result = `pw-${args.name}`;
    return computed;
  }),
);

let sample: Inputs;
/** The sample organisation on AS_OF, declared once and shared by the tests that only read it. */
let baseline: { registered: Registered[]; constructed: Constructed[] };
beforeAll(async () => {
  sample = await loadDesiredState("desired-state");
  baseline = await declare(projectionOf(desiredFor(sample)));
}, 120_000);

/** Waits until the mocked engine has stopped receiving registrations. */
async function settle(): Promise<void> {
  let seen = -1;
  while (seen !== registered.length) {
    seen = registered.length;
    await new Promise((r) => setTimeout(r, 40));
  }
}

/** Declares the target for a projection and returns what reached the engine and how it was constructed. */
async function declare(projection: AzureAdProjection, name = "azuread", previous?: AzureAdPrevious): Promise<{ registered: Registered[]; constructed: Constructed[] }> {
  await settle();
  registered.length = 0;
  const constructed: Constructed[] = [];
  new AzureAdTarget(
    name,
    { projection, settings: SETTINGS, previous },
    {
      // Legacy in-process transformations run synchronously in each child's constructor, so they
      // see construction order and the options (protect, ignoreChanges) the mocks don't receive.
      transformations: [
        (args) => {
          if (args.type !== "rolecall:targets:AzureAd") {
            constructed.push({ type: args.type, name: args.name, protect: args.opts.protect === true, ignoreChanges: args.opts.ignoreChanges ?? [] });
          }
          return undefined;
        },
      ],
    },
  );
  await settle();
  return { registered: registered.filter((r) => r.type !== "rolecall:targets:AzureAd"), constructed };
}

function desiredFor(inputs: Inputs): DesiredState {
  return compile(inputs, AS_OF);
}
function projectionOf(desired: DesiredState): AzureAdProjection {
  const projection = desired.targets.azuread;
  if (!projection) throw new Error("the sample catalog has no azuread section");
  return projection;
}
/** A copy of the sample inputs with one change applied. */
function variant(change: (inputs: Inputs) => void): Inputs {
  const copy = structuredClone(sample);
  change(copy);
  return copy;
}
function worker(inputs: Inputs, id: string) {
  const row = inputs.roster.find((r) => r.value.workerId === id);
  if (!row) throw new Error(`no roster row ${id}`);
  return row.value;
}

const find = (rs: Registered[], type: string, name: string) => {
  const r = rs.find((x) => x.type === type && x.name === name);
  if (!r) throw new Error(`${type} ${name} was not registered`);
  return r;
};
const names = (rs: Registered[], type: string) => rs.filter((r) => r.type === type).map((r) => r.name);
/** Pulumi's wire marker of a secret value (sdk/nodejs/runtime/rpc.ts specialSigKey / specialSecretSig). */
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
/** The member object IDs of a group: one GroupMember each, named `<group>/<user>`. */
const members = (rs: Registered[], group: string) =>
  rs.filter((r) => r.type === AZUREAD_TYPES.groupMember && r.name.startsWith(`${group}/`)).map((r) => r.inputs.memberObjectId as string).sort();
const memberships = (rs: Registered[]) => rs.filter((r) => r.type === AZUREAD_TYPES.groupMember);
const oid = (...keys: string[]) => keys.map((k) => `oid-${k}`).sort();

/** Per resource (type/name), the inputs that differ between two runs; added and removed resources too. */
function diffRuns(before: Registered[], after: Registered[]) {
  const key = (r: Registered) => `${r.type} ${r.name}`;
  const a = new Map(before.map((r) => [key(r), r.inputs]));
  const b = new Map(after.map((r) => [key(r), r.inputs]));
  const changed = new Map<string, string[]>();
  for (const [k, inputs] of b) {
    const old = a.get(k);
    if (!old) continue;
    const fields = [...new Set([...Object.keys(old), ...Object.keys(inputs)])].filter((f) => JSON.stringify(old[f]) !== JSON.stringify(inputs[f])).sort();
    if (fields.length > 0) changed.set(k, fields);
  }
  return {
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    changed,
  };
}

const ACTIVE_PEOPLE = Array.from({ length: 47 }, (_, i) => `W${1001 + i}`).filter((k) => k !== "W1026");
const IT_ADMINS = ["W1006", "W1038", "W1039", "W1040", "W1041", "W1042"];

describe("the azuread target with Pulumi's mocks: the sample organisation on 2026-11-25", () => {
  it("declares exactly one user and initial password per account, the catalog's groups and roles, and one assignment per role holder", async () => {
    const rs = baseline.registered;
    const accounts = [...ACTIVE_PEOPLE, "W1048", "svc-payroll-export"].sort();

    expect(names(rs, AZUREAD_TYPES.user).sort()).toEqual(accounts);
    expect(names(rs, AZUREAD_TYPES.initialPassword).sort()).toEqual(accounts);
    expect(names(rs, AZUREAD_TYPES.groupWithoutMembers).sort()).toEqual(["all-staff", "contractors", "engineering", "finance", "sales"]);
    expect(names(rs, AZUREAD_TYPES.group)).toEqual([]);
    expect(names(rs, AZUREAD_TYPES.directoryRole).sort()).toEqual(["helpdesk-administrator", "user-administrator"]);
    expect(names(rs, AZUREAD_TYPES.directoryRoleAssignment).sort()).toEqual(
      ["helpdesk-administrator", "user-administrator"].flatMap((role) => IT_ADMINS.map((u) => `${role}/${u}`)).sort(),
    );
    expect(names(rs, AZUREAD_TYPES.provider)).toEqual(["azuread"]);
    const held = projectionOf(desiredFor(sample)).groups.reduce((n, g) => n + g.members.length, 0);
    expect(memberships(rs)).toHaveLength(held);
    expect(rs).toHaveLength(1 + 2 * accounts.length + 5 + held + 2 + 12);
  });

  it("pins the tenant from stack settings and sets every user field from the projection", async () => {
    const { registered: rs, constructed } = baseline;
    expect(find(rs, AZUREAD_TYPES.provider, "azuread").inputs).toMatchObject({ tenantId: SETTINGS.tenantId });

    const ada = find(rs, AZUREAD_TYPES.user, "W1001");
    expect(ada.inputs).toEqual({
      userPrincipalName: "ada.muller@example.com",
      mail: "ada.muller@example.com",
      displayName: "Ada Müller",
      givenName: "Ada",
      surname: "Müller",
      accountEnabled: true,
      employeeId: "W1001",
      department: "Executive",
      jobTitle: "Chief Executive Officer",
      forcePasswordChange: true,
      password: { ...SECRET, value: "pw-W1001" },
    });
    expect(find(rs, AZUREAD_TYPES.initialPassword, "W1001").inputs).toMatchObject({ length: 32, special: true, minUpper: 2, minLower: 2, minNumeric: 2, minSpecial: 2 });

    const svc = find(rs, AZUREAD_TYPES.user, "svc-payroll-export");
    expect(svc.inputs).toMatchObject({ userPrincipalName: "svc-payroll-export@example.com", accountEnabled: true, forcePasswordChange: true });
    expect(svc.inputs).not.toHaveProperty("employeeId");

    // Everything rolecall does not set is left as the tenant has it (the provider would send nulls),
    // and the password only seeds the account; nobody in the sample is protected.
    const adaIgnores = constructed.find((c) => c.type === AZUREAD_TYPES.user && c.name === "W1001")!.ignoreChanges;
    for (const unowned of ["password", "usageLocation", "businessPhones", "mobilePhone", "officeLocation", "managerId", "city", "onpremisesImmutableId"]) expect(adaIgnores).toContain(unowned);
    for (const owned of Object.keys(ada.inputs).filter((k) => k !== "password" && k !== "accountEnabled")) expect(adaIgnores).not.toContain(owned);
    // With no record of rolecall's own last apply, a disabled active account is not enabled (enabled.ts).
    expect(adaIgnores).toContain("accountEnabled");
    // W1002 has an HR manager with an account: the manager is rolecall's to set, by object ID.
    expect(find(rs, AZUREAD_TYPES.user, "W1002").inputs.managerId).toBe("oid-W1001");
    expect(constructed.find((c) => c.type === AZUREAD_TYPES.user && c.name === "W1002")!.ignoreChanges).not.toContain("managerId");
    expect(constructed.filter((c) => c.protect)).toEqual([]);
  });

  it("declares security groups member by member, and assigns roles by template ID to user object IDs", async () => {
    const rs = baseline.registered;
    const engineering = find(rs, AZUREAD_TYPES.groupWithoutMembers, "engineering");
    expect(engineering.inputs).toEqual({ displayName: "Engineering", securityEnabled: true, mailEnabled: false, preventDuplicateNames: true });
    expect(members(rs, "engineering")).toEqual(oid("W1002", "W1008", "W1009", "W1010", "W1011", "W1012", "W1013", "W1014", "W1015", "W1016", "W1017", "W1018", "W1019", "W1020", "W1021"));
    expect(find(rs, AZUREAD_TYPES.groupMember, "engineering/W1002").inputs).toEqual({ groupObjectId: "oid-engineering", memberObjectId: "oid-W1002" });
    expect(members(rs, "contractors")).toEqual(oid("W1016"));
    expect(members(rs, "finance")).toEqual(oid("W1004", "W1012", "W1030", "W1032", "W1033", "W1034", "W1039", "svc-payroll-export"));
    expect(members(rs, "all-staff")).toHaveLength(44);

    expect(find(rs, AZUREAD_TYPES.directoryRole, "user-administrator").inputs).toEqual({ displayName: "User Administrator" });
    expect(find(rs, AZUREAD_TYPES.directoryRoleAssignment, "helpdesk-administrator/W1038").inputs).toEqual({
      roleId: "tmpl-helpdesk-administrator",
      principalObjectId: "oid-W1038",
    });
  });
});

describe("the azuread target through the lifecycle", () => {
  it("declares nothing for a leaver once the grace period is over", async () => {
    expect(desiredFor(sample).people.find((p) => p.id === "W1026")?.state).toBe("leaver");
    const rs = baseline.registered;
    expect(rs.filter((r) => r.name === "W1026" || r.name.endsWith("/W1026"))).toEqual([]);
    expect(memberships(rs).filter((m) => m.inputs.memberObjectId === "oid-W1026")).toEqual([]);
  });

  it("keeps a leaver in grace as a disabled account with no memberships and no roles", async () => {
    const inGrace = variant((i) => {
      i.policy.lifecycle.leaverGraceDays = 60;
    });
    const { registered: rs } = await declare(projectionOf(desiredFor(inGrace)));
    expect(find(rs, AZUREAD_TYPES.user, "W1026").inputs).toMatchObject({ accountEnabled: false, employeeId: "W1026" });
    expect(names(rs, AZUREAD_TYPES.initialPassword)).toContain("W1026");
    expect(memberships(rs).filter((m) => m.inputs.memberObjectId === "oid-W1026")).toEqual([]);
    expect(rs.filter((r) => r.name.endsWith("/W1026"))).toEqual([]);
  });

  it("a group whose only member leaves keeps its object and loses that member by the delete of their GroupMember", async () => {
    const lastContractorLeft = variant((i) => {
      Object.assign(worker(i, "W1016"), { status: "terminated", endDate: "2026-11-01" });
    });
    const { registered: rs } = await declare(projectionOf(desiredFor(lastContractorLeft)));
    expect(find(rs, AZUREAD_TYPES.groupWithoutMembers, "contractors")).toBeDefined();
    expect(members(rs, "contractors")).toEqual([]);
    expect(names(rs, AZUREAD_TYPES.user)).not.toContain("W1016");
    const diff = diffRuns(baseline.registered, rs);
    expect(diff.removed).toContain(`${AZUREAD_TYPES.groupMember} contractors/W1016`);
    expect(diff.changed.get(`${AZUREAD_TYPES.groupWithoutMembers} contractors`)).toBeUndefined();
  });

  it("declares a pre-hire and a person on leave disabled, in no group and no role", async () => {
    const rs = baseline.registered;
    for (const id of ["W1048", "W1031"]) {
      expect(find(rs, AZUREAD_TYPES.user, id).inputs).toMatchObject({ accountEnabled: false });
      expect(memberships(rs).filter((m) => m.inputs.memberObjectId === `oid-${id}`)).toEqual([]);
      expect(rs.filter((r) => r.name.endsWith(`/${id}`))).toEqual([]);
    }
  });

  it("moves a mover's memberships and changes nothing else but the mover's own attribute", async () => {
    const before = baseline.registered;
    const moved = variant((i) => {
      worker(i, "W1022").department = "Finance";
    });
    const after = (await declare(projectionOf(desiredFor(moved)))).registered;

    const diff = diffRuns(before, after);
    expect(diff.added).toEqual([`${AZUREAD_TYPES.groupMember} finance/W1022`]);
    expect(diff.removed).toEqual([`${AZUREAD_TYPES.groupMember} sales/W1022`]);
    expect(Object.fromEntries(diff.changed)).toEqual({ [`${AZUREAD_TYPES.user} W1022`]: ["department"] });
  });

  it("renames in place: a new name and email keep every resource name and touch no replacement-forcing input", async () => {
    const before = baseline.registered;
    const renamed = variant((i) => {
      worker(i, "W1008").familyName = "Okonkwo";
    });
    const after = (await declare(projectionOf(desiredFor(renamed)))).registered;

    const diff = diffRuns(before, after);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect([...diff.changed.keys()]).toEqual([`${AZUREAD_TYPES.user} W1008`]);
    const fields = diff.changed.get(`${AZUREAD_TYPES.user} W1008`)!;
    expect(fields).toEqual(expect.arrayContaining(["userPrincipalName", "mail", "surname", "displayName"]));
    expect(fields.filter((f) => replacingInputs(AZUREAD_TYPES.user).includes(f))).toEqual([]);
    expect(find(after, AZUREAD_TYPES.user, "W1008").inputs).toMatchObject({ userPrincipalName: "hannah.okonkwo@example.com", employeeId: "W1008" });
  });

  it("protects a break-glass account, its initial password and its role assignments", async () => {
    const breakGlass = variant((i) => {
      i.policy.protected = ["W1006"];
    });
    const { constructed } = await declare(projectionOf(desiredFor(breakGlass)));
    expect(constructed.filter((c) => c.protect).map((c) => `${c.type} ${c.name}`).sort()).toEqual(
      [
        `${AZUREAD_TYPES.directoryRoleAssignment} helpdesk-administrator/W1006`,
        `${AZUREAD_TYPES.initialPassword} W1006`,
        `${AZUREAD_TYPES.user} W1006`,
        `${AZUREAD_TYPES.directoryRoleAssignment} user-administrator/W1006`,
      ].sort(),
    );
  });
});

describe("a protected Entra ID admin who leaves", () => {
  /** What the next run reads of a run's state: the users' object IDs and each role assignment's inputs. */
  const previousOf = (rs: Registered[]): AzureAdPrevious => ({
    memberwise: new Set(rs.filter((r) => r.type === AZUREAD_TYPES.groupWithoutMembers).map((r) => r.name)),
    inline: new Map(),
    users: new Map(rs.filter((r) => r.type === AZUREAD_TYPES.user).map((r) => [r.name, `oid-${r.name}`])),
    roleAssignments: new Map(rs.filter((r) => r.type === AZUREAD_TYPES.directoryRoleAssignment).map((r) => [r.name, r.inputs as unknown as AppliedRoleAssignment])),
  });
  const protect = (i: Inputs) => void (i.policy.protected = ["W1006"]);
  const leave = (i: Inputs) => void (worker(i, "W1006").endDate = "2026-11-20");
  const theirs = ["helpdesk-administrator/W1006", "user-administrator/W1006"];

  it("keeps their role assignments declared with the inputs last applied, still protected; unprotected, they go", async () => {
    const before = await declare(projectionOf(desiredFor(variant(protect))));
    const left = desiredFor(variant((i) => (protect(i), leave(i))));
    // The loss is in the desired state, where the protected-accounts guardrail refuses it.
    expect(projectionOf(left).directoryRoles.flatMap((r) => r.members.map((m) => m.user))).not.toContain("W1006");

    const after = await declare(projectionOf(left), "azuread", previousOf(before.registered));
    for (const name of theirs) {
      expect(find(after.registered, AZUREAD_TYPES.directoryRoleAssignment, name).inputs).toEqual(find(before.registered, AZUREAD_TYPES.directoryRoleAssignment, name).inputs);
      expect(after.constructed.find((c) => c.type === AZUREAD_TYPES.directoryRoleAssignment && c.name === name)?.protect).toBe(true);
    }
    // Nothing the state protects is dropped: the engine's preview never fails on `protect`.
    const kept = new Set(after.constructed.map((c) => `${c.type} ${c.name}`));
    expect(before.constructed.filter((c) => c.protect && !kept.has(`${c.type} ${c.name}`))).toEqual([]);

    const unprotected = await declare(projectionOf(desiredFor(variant(leave))), "azuread", previousOf(before.registered));
    expect(names(unprotected.registered, AZUREAD_TYPES.directoryRoleAssignment).filter((n) => theirs.includes(n))).toEqual([]);
  });
});

describe("the azuread target's registration order", () => {
  it("constructs resources in the plan's order, the same on every run", async () => {
    const projection = projectionOf(desiredFor(sample));
    const first = baseline;
    const second = await declare(projectionOf(desiredFor(sample)));
    const order = (cs: Constructed[]) => cs.map((c) => `${c.type} ${c.name}`);
    expect(order(second.constructed)).toEqual(order(first.constructed));
    expect(order(first.constructed)).toEqual(plannedResources(planAzureAd(projection, SETTINGS)).map((r) => `${r.type} ${r.name}`));
  });

  it("reaches the mocked engine in the same order on every run", async () => {
    const projection = projectionOf(desiredFor(sample));
    const order = (rs: Registered[]) => rs.map((r) => `${r.type} ${r.name}`);
    const again = await declare(projection);
    expect(order(again.registered)).toEqual(order(baseline.registered));
  });
});
