import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile/compile.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import type { DesiredState } from "../../src/model/desired-state.js";
import type { Inputs } from "../../src/model/inputs.js";
import type { OktaTargetSettings } from "../../src/targets/okta/settings.js";
import { OktaTarget } from "../../src/targets/okta/component.js";
import { OKTA_TYPES, OKTA_USER_PROFILE_INPUTS } from "../../src/targets/okta/convert.js";
import { planOkta } from "../../src/targets/okta/plan.js";
import type { OktaPrevious } from "../../src/targets/okta/previous.js";
import type { OktaPreviousUser } from "../../src/targets/okta/status.js";
import { recordRegistrations, type Registered } from "../support/pulumi-mocks.js";
import { joinDeclared, optionsCapture, plannedChanges, type Declared } from "./support/capture.js";
import { replacements } from "./support/replacement.js";
import { rehireInGrace, worker } from "./support/hr-changes.js";

const registered: Registered[] = [];
beforeAll(() => recordRegistrations(registered));

const asOf = "2026-11-25";
const sample = await loadDesiredState("desired-state");
const settings: OktaTargetSettings = { orgName: "dev-123456", baseUrl: "okta.com" };
const USER_ATTRIBUTES = [...OKTA_USER_PROFILE_INPUTS, "status"];

function variant(change: (inputs: Inputs) => void): Inputs {
  const copy = structuredClone(sample);
  change(copy);
  return copy;
}

/** Declares the target once; returns every child with its inputs (as the engine got them) and options. */
async function declare(desired: DesiredState, previous?: OktaPrevious, given: OktaTargetSettings = settings): Promise<Declared[]> {
  const start = registered.length;
  const capture = optionsCapture();
  new OktaTarget("okta", { projection: desired.targets.okta!, settings: given, previous }, { transformations: [capture.transform] });
  const plan = planOkta(desired.targets.okta!, { previous });
  const expected = 2 + plan.users.length + plan.groups.length + plan.memberships.length + plan.adminRoles.length;
  const deadline = Date.now() + 30_000;
  while (registered.length - start < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  let seen = -1;
  while (seen !== registered.length) {
    seen = registered.length;
    await new Promise((r) => setTimeout(r, 50));
  }
  return joinDeclared(registered.slice(start), capture.byUrn);
}

/** The previous run as the next one reads it: every account it declared, with its status, and what Okta shows now. */
function previousOf(declared: Declared[], observed: Record<string, string> = {}): OktaPrevious {
  const users = new Map<string, OktaPreviousUser>();
  for (const d of declared.filter((r) => r.type === OKTA_TYPES.user)) {
    users.set(d.name, { declared: d.inputs.status as OktaPreviousUser["declared"], observed: observed[d.name] ?? (d.inputs.status as string) });
  }
  const adminRoles = new Map(declared.filter((r) => r.type === OKTA_TYPES.userAdminRoles).map((r) => [r.name, r.inputs.adminRoles as string[]]));
  return { users, legacyMemberships: [], adminRoles };
}

const find = (declared: Declared[], type: string, name: string) => declared.find((r) => r.type === type && r.name === name);
const userOf = (declared: Declared[], key: string) => find(declared, OKTA_TYPES.user, key)!;
const groupsOf = (declared: Declared[], key: string) => (find(declared, OKTA_TYPES.userGroupMemberships, key)?.inputs.groups as string[] | undefined) ?? [];

describe("the Okta target for the sample organisation (as of 2026-11-25)", () => {
  const desired = compile(sample, asOf);
  let first: Promise<Declared[]> | undefined;
  /** The sample declared on a fresh stack. */
  const fresh = () => (first ??= declare(desired, { users: new Map(), legacyMemberships: [] }));

  it("declares a provider, one user per account, one group per catalog group, one membership set per user in a group, one admin-role set per admin", async () => {
    const declared = await fresh();
    const count = (type: string) => declared.filter((r) => r.type === type).length;
    expect(count(OKTA_TYPES.provider)).toBe(1);
    expect(count(OKTA_TYPES.user)).toBe(48);
    expect(count(OKTA_TYPES.group)).toBe(6);
    expect(count(OKTA_TYPES.groupMemberships)).toBe(0);
    const inAnyGroup = new Set(desired.targets.okta!.groups.flatMap((g) => g.members.map((m) => m.user)));
    expect(declared.filter((r) => r.type === OKTA_TYPES.userGroupMemberships).map((r) => r.name).sort()).toEqual([...inAnyGroup].sort());
    expect(count(OKTA_TYPES.userAdminRoles)).toBe(6);
  });

  it("maps the HR manager: managerId is the manager's worker ID, manager their display name", async () => {
    expect(userOf(await fresh(), "W1010").inputs).toMatchObject({ managerId: "W1009", manager: desired.targets.okta!.users.find((u) => u.key === "W1009")!.displayName });
    expect(userOf(await fresh(), "W1001").inputs).not.toHaveProperty("managerId");
  });

  it("points the provider at the org and applies rolecall's rate limits, never a credential", async () => {
    const provider = find(await declare(desired, undefined, { orgName: "dev-123456", baseUrl: "oktapreview.com", maxApiCapacity: 40 }), OKTA_TYPES.provider, "okta")!.inputs;
    // Provider configuration travels as strings (Pulumi serialises non-string config as JSON).
    expect(provider).toMatchObject({ orgName: "dev-123456", baseUrl: "oktapreview.com", maxApiCapacity: "40", backoff: "true", maxRetries: "5", minWaitSeconds: "30", maxWaitSeconds: "300" });
    for (const secret of ["apiToken", "accessToken", "privateKey", "clientId", "scopes"]) expect(provider).not.toHaveProperty(secret);
  });

  it("refuses a stack still holding the per-group GroupMemberships of an earlier rolecall, naming each URN", () => {
    const urn = "urn:pulumi:prod::rolecall::rolecall:targets:Okta$okta:index/groupMemberships:GroupMemberships::finance";
    expect(() => new OktaTarget("okta", { projection: desired.targets.okta!, settings, previous: { users: new Map(), legacyMemberships: [urn] } })).toThrow(
      /deleting them through the engine would empty those groups[\s\S]*pulumi state delete 'urn:pulumi:prod::rolecall::rolecall:targets:Okta\$okta:index\/groupMemberships:GroupMemberships::finance'/,
    );
  });

  it("protects a break-glass account and its admin roles", async () => {
    const declared = await declare(compile(variant((i) => i.policy.protected.push("W1006")), asOf));
    expect(userOf(declared, "W1006").protect).toBe(true);
    expect(find(declared, OKTA_TYPES.userAdminRoles, "W1006")!.protect).toBe(true);
    expect(userOf(declared, "W1001").protect).toBe(false);
  });

  it("a protected admin who leaves keeps their admin-role resource declared as last applied, still protected; unprotected, it goes", async () => {
    const protect = (i: Inputs) => i.policy.protected.push("W1006");
    const leave = (i: Inputs) => void (worker(i, "W1006").endDate = "2026-11-20");
    const before = await declare(compile(variant(protect), asOf));
    const roles = find(before, OKTA_TYPES.userAdminRoles, "W1006")!;
    expect(roles.inputs.adminRoles).not.toEqual([]);

    const left = compile(variant((i) => (protect(i), leave(i))), asOf);
    // The loss is in the desired state, where the protected-accounts guardrail refuses it.
    expect(left.targets.okta!.adminRoles.flatMap((r) => r.members.map((m) => m.user))).not.toContain("W1006");
    const after = await declare(left, previousOf(before));
    const kept = find(after, OKTA_TYPES.userAdminRoles, "W1006");
    expect(kept).toMatchObject({ inputs: roles.inputs, protect: true });
    // Nothing the state protects is dropped or replaced: the engine's preview never fails on `protect`.
    const change = replacements(before, after);
    expect(change.replaced).toEqual({});
    expect(before.filter((r) => r.protect && change.deleted.includes(`${r.type}::${r.name}`))).toEqual([]);

    const unprotected = await declare(compile(variant(leave), asOf), previousOf(before));
    expect(find(unprotected, OKTA_TYPES.userAdminRoles, "W1006")).toBeUndefined();
  });

  it("registers the same resources in the same order on every run", async () => {
    const a = (await declare(compile(sample, asOf))).map((r) => `${r.type}::${r.name}`);
    const b = (await declare(compile(structuredClone(sample), asOf))).map((r) => `${r.type}::${r.name}`);
    expect(b).toEqual(a);
  });
});

/**
 * The lifecycle, run by run: each row declares a "before" (the last run), then the "after"
 * with what the last run recorded and what Okta holds now (the refreshed state, with what
 * other writers set), and asserts what the provider plans to send for one account — the
 * changed inputs after ignoreChanges — and that nothing is replaced.
 */
describe("the Okta lifecycle, as the provider receives it", () => {
  interface Row {
    name: string;
    key: string;
    before?: (i: Inputs) => void;
    after: (i: Inputs) => void;
    /** What Okta holds beyond what rolecall set (other writers), by attribute. */
    others?: Record<string, unknown>;
    /** Okta's raw status now, when someone else changed it. */
    observed?: string;
    /** The planned changes of the account; "create" when it is created. */
    planned: Record<string, unknown> | { create: Record<string, unknown> };
    groups?: string[];
  }

  const rows: Row[] = [
    {
      name: "joiner: created ACTIVE with the HR profile and manager",
      key: "W1050",
      after: (i) => i.roster.push({ ...structuredClone(i.roster.find((r) => r.value.workerId === "W1010")!), value: { ...worker(i, "W1010"), workerId: "W1050", givenName: "Noor", familyName: "Haddad", email: undefined, startDate: "2026-11-01" } }),
      planned: { create: { status: "ACTIVE", firstName: "Noor", lastName: "Haddad", employeeNumber: "W1050", managerId: "W1009" } },
    },
    {
      name: "mover: only the department changes on the account, groups follow",
      key: "W1022",
      after: (i) => (worker(i, "W1022").department = "Finance"),
      planned: { department: "Finance" },
    },
    {
      name: "rename: login, email and names change in place",
      key: "W1010",
      after: (i) => (worker(i, "W1010").familyName = "Weber-Klein"),
      planned: { lastName: "Weber-Klein", displayName: "Jonas Weber-Klein", login: "jonas.weberklein@example.com", email: "jonas.weberklein@example.com" },
    },
    {
      name: "leave: suspended, groups kept as policy says",
      key: "W1010",
      after: (i) => (worker(i, "W1010").status = "leave"),
      planned: { status: "SUSPENDED" },
    },
    {
      name: "back from leave: unsuspended",
      key: "W1031",
      after: (i) => (worker(i, "W1031").status = "active"),
      planned: { status: "ACTIVE" },
    },
    {
      name: "leaver in grace: deactivated, the HR edit of the same day held back (Okta refuses it)",
      key: "W1010",
      after: (i) => {
        i.policy.lifecycle.leaverGraceDays = 30;
        worker(i, "W1010").endDate = "2026-11-20";
        worker(i, "W1010").title = "Former Engineer";
      },
      planned: { status: "DEPROVISIONED" },
      groups: [],
    },
    {
      name: "pre-hire: created STAGED (activate=false: no activation email)",
      key: "W1048",
      before: (i) => (i.roster = i.roster.filter((r) => r.value.workerId !== "W1048")),
      after: (i) => (i.roster = sample.roster.map((r) => structuredClone(r))),
      planned: { create: { status: "STAGED" } },
      groups: [],
    },
    {
      name: "first created while on leave: STAGED, never created active and then suspended",
      key: "W1051",
      after: (i) => i.roster.push({ ...structuredClone(i.roster.find((r) => r.value.workerId === "W1031")!), value: { ...worker(i, "W1031"), workerId: "W1051", givenName: "Ines", familyName: "Costa", email: undefined } }),
      planned: { create: { status: "STAGED" } },
    },
    {
      name: "rehire in grace, before the start date: stays DEPROVISIONED, nothing sent",
      ...rehireInGrace("2026-12-01"),
      planned: {},
    },
    {
      name: "rehire in grace, on the start date: reactivated and the new profile sent in the same update",
      ...rehireInGrace("2026-11-20"),
      planned: { status: "ACTIVE", title: "Staff Engineer" },
    },
    {
      name: "rehire after the grace: the account was deleted, a new one is staged",
      key: "W1026",
      after: (i) => {
        worker(i, "W1026").endDate = undefined;
        worker(i, "W1026").status = "active";
        worker(i, "W1026").startDate = "2026-12-01";
      },
      planned: { create: { status: "STAGED" } },
    },
    {
      name: "admin lockout: left LOCKED_OUT, nothing sent (reported as drift)",
      key: "W1010",
      after: () => {},
      observed: "LOCKED_OUT",
      planned: {},
    },
    {
      name: "admin suspension of an active account: left SUSPENDED",
      key: "W1010",
      after: () => {},
      observed: "SUSPENDED",
      planned: {},
    },
    {
      name: "attributes other writers set (phone, second email, custom attributes) survive an HR edit",
      key: "W1001",
      after: (i) => (worker(i, "W1001").title = "Chair"),
      others: { mobilePhone: "+49 30 1234", secondEmail: "ada@private.example", customProfileAttributes: '{"badge":"A-1"}', managerId: "board", city: "Berlin" },
      planned: { title: "Chair" },
    },
  ];

  let sampleRun: Promise<Declared[]> | undefined;
  const steady = () => (sampleRun ??= declare(compile(sample, asOf)));

  it.each(rows)("$name", async (row) => {
    // The last run of a stack in its steady state: every account exists with its lifecycle's status.
    const before = row.before ? await declare(compile(variant(row.before), asOf)) : await steady();
    const afterInputs = variant((i) => {
      row.before?.(i);
      row.after(i);
    });
    const was = find(before, OKTA_TYPES.user, row.key);
    const observed = row.observed ? { [row.key]: row.observed } : {};
    const after = await declare(compile(afterInputs, asOf), previousOf(before, observed));
    const now = userOf(after, row.key);

    if ("create" in row.planned) {
      expect(was).toBeUndefined();
      expect(now.inputs).toMatchObject(row.planned.create as Record<string, unknown>);
    } else {
      expect(was).toBeDefined();
      // What Okta holds now: what rolecall set last run, what others set, and the observed status.
      const live = { ...was!.inputs, ...row.others, ...(row.observed ? { status: row.observed } : {}) };
      expect(plannedChanges(now, live, USER_ATTRIBUTES)).toEqual(row.planned);
    }
    if (row.groups) expect(groupsOf(after, row.key)).toEqual(row.groups);
    expect(replacements(before, after).replaced).toEqual({});
  });

  it("a mover's memberships change on their own membership set only", async () => {
    const before = await declare(compile(sample, asOf));
    const after = await declare(compile(variant((i) => (worker(i, "W1022").department = "Finance")), asOf));
    const diff = new Map<string, string[]>();
    for (const d of after) {
      const was = find(before, d.type, d.name)!;
      const keys = Object.keys({ ...was.inputs, ...d.inputs }).filter((k) => JSON.stringify(was.inputs[k]) !== JSON.stringify(d.inputs[k]));
      if (keys.length > 0) diff.set(`${d.type}::${d.name}`, keys.sort());
    }
    expect(Object.fromEntries(diff)).toEqual({ [`${OKTA_TYPES.user}::W1022`]: ["department"], [`${OKTA_TYPES.userGroupMemberships}::W1022`]: ["groups"] });
    expect(groupsOf(after, "W1022")).toContain("id-finance");
    expect(groupsOf(after, "W1022")).not.toContain("id-sales");
  });
});
