import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile/compile.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import type { DesiredState } from "../../src/model/desired-state.js";
import type { Inputs } from "../../src/model/inputs.js";
import type { OktaTargetSettings } from "../../src/model/target-settings/okta.js";
import { OktaTarget } from "../../src/targets/okta/component.js";
import { OKTA_TYPES, REPLACED_ON_CHANGE, USER_PROFILE_INPUTS } from "../../src/targets/okta/convert.js";
import { planOkta } from "../../src/targets/okta/plan.js";
import { recordRegistrations, type Registered } from "../support/pulumi-mocks.js";

const registered: Registered[] = [];

beforeAll(() => recordRegistrations(registered));

const asOf = "2026-11-25";
const sample = await loadDesiredState("desired-state");
const settings: OktaTargetSettings = { orgName: "dev-123456", baseUrl: "okta.com" };

/** The sample's inputs with one change applied to a private copy. */
function variant(change: (inputs: Inputs) => void): Inputs {
  const copy = structuredClone(sample);
  change(copy);
  return copy;
}
const worker = (inputs: Inputs, id: string) => inputs.roster.find((r) => r.value.workerId === id)!.value;

/** Declares the target once and returns what it registered, in the order the mocks saw it. */
async function declare(desired: DesiredState, given: OktaTargetSettings = settings): Promise<{ target: OktaTarget; resources: Registered[] }> {
  const start = registered.length;
  const target = new OktaTarget("okta", { projection: desired.targets.okta!, settings: given });
  // Registrations resolve asynchronously (memberships wait for user and group IDs): wait for as
  // many as the plan says (component and provider included), then for a quiet spell to catch extras.
  const plan = planOkta(desired.targets.okta!);
  const expected = 2 + plan.users.length + plan.groups.length + plan.memberships.length + plan.adminRoles.length;
  const deadline = Date.now() + 30_000;
  while (registered.length - start < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  let seen = -1;
  while (seen !== registered.length) {
    seen = registered.length;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { target, resources: registered.slice(start) };
}

const of = (resources: Registered[], type: string) => resources.filter((r) => r.type === type);
const find = (resources: Registered[], type: string, name: string) => resources.find((r) => r.type === type && r.name === name);
const names = (resources: Registered[], type: string) => of(resources, type).map((r) => r.name);
const byUrn = (resources: Registered[]) => new Map(resources.map((r) => [`${r.type}::${r.name}`, r.inputs]));

/** The resources whose inputs differ between two declarations, by type::name. */
function changed(before: Registered[], after: Registered[]): Record<string, string[]> {
  const a = byUrn(before);
  const b = byUrn(after);
  const out: Record<string, string[]> = {};
  for (const urn of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(urn);
    const y = b.get(urn);
    if (!x || !y) {
      out[urn] = [x ? "deleted" : "created"];
      continue;
    }
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => JSON.stringify(x[k]) !== JSON.stringify(y[k]));
    if (keys.length > 0) out[urn] = keys.sort();
  }
  return out;
}

const ADMINS = ["W1006", "W1038", "W1039", "W1040", "W1041", "W1042"];

describe("the Okta target for the sample organisation (as of 2026-11-25)", () => {
  const desired = compile(sample, asOf);
  let declared: Promise<{ target: OktaTarget; resources: Registered[] }> | undefined;
  /** The sample as declared once with the default settings (most tests only read it). */
  const declaredSample = () => (declared ??= declare(desired));

  it("declares exactly: a provider, one user per account, one group per catalog group, one membership set per group, one admin-role set per admin", async () => {
    const { resources } = await declaredSample();
    const accounts = desired.targets.okta!.users.map((u) => u.key);
    expect(accounts).toHaveLength(48);
    const groups = ["all-staff", "contractors", "engineering", "finance", "it-admins", "sales"];
    const expected = [
      "rolecall:targets:Okta::okta",
      `${OKTA_TYPES.provider}::okta`,
      ...accounts.map((k) => `${OKTA_TYPES.user}::${k}`),
      ...groups.map((k) => `${OKTA_TYPES.group}::${k}`),
      ...groups.map((k) => `${OKTA_TYPES.groupMemberships}::${k}`),
      ...ADMINS.map((k) => `${OKTA_TYPES.userAdminRoles}::${k}`),
    ];
    expect(resources.map((r) => `${r.type}::${r.name}`).sort()).toEqual(expected.sort());
  });

  it("sets each user's profile from HR, keyed by worker ID, with Okta's status", async () => {
    const { resources } = await declaredSample();
    expect(find(resources, OKTA_TYPES.user, "W1001")!.inputs).toMatchObject({
      login: "ada.muller@example.com",
      email: "ada.muller@example.com",
      firstName: "Ada",
      lastName: "Müller",
      displayName: "Ada Müller",
      employeeNumber: "W1001",
      title: "Chief Executive Officer",
      department: "Executive",
      status: "ACTIVE",
    });
    const sa = find(resources, OKTA_TYPES.user, "svc-payroll-export")!.inputs;
    expect(sa).toMatchObject({ login: "svc-payroll-export@example.com", status: "ACTIVE" });
    expect(sa).not.toHaveProperty("employeeNumber");
    expect(find(resources, OKTA_TYPES.user, "W1031")!.inputs.status).toBe("SUSPENDED"); // on leave
  });

  it("declares each group by its catalog name and its whole membership, tracking all users", async () => {
    const { resources } = await declaredSample();
    expect(find(resources, OKTA_TYPES.group, "it-admins")!.inputs).toMatchObject({ name: "IT Administrators" });
    expect(find(resources, OKTA_TYPES.groupMemberships, "contractors")!.inputs).toEqual({ groupId: "id-contractors", users: ["id-W1016"], trackAllUsers: true });
    expect(find(resources, OKTA_TYPES.groupMemberships, "it-admins")!.inputs.users).toEqual(ADMINS.map((k) => `id-${k}`));
    const finance = find(resources, OKTA_TYPES.groupMemberships, "finance")!.inputs;
    expect(finance.users).toContain("id-svc-payroll-export");
    expect(finance.users).not.toContain("id-W1031"); // on leave: entitlements suspended by policy
  });

  it("gives each admin one UserAdminRoles with every standard role type it holds", async () => {
    const { resources } = await declaredSample();
    for (const admin of ADMINS) {
      expect(find(resources, OKTA_TYPES.userAdminRoles, admin)!.inputs).toEqual({ userId: `id-${admin}`, adminRoles: ["HELP_DESK_ADMIN", "USER_ADMIN"] });
    }
  });

  it("points the provider at the org from the settings and passes no credential", async () => {
    const { resources } = await declare(desired, { orgName: "dev-123456", baseUrl: "oktapreview.com", maxApiCapacity: 50 });
    const provider = find(resources, OKTA_TYPES.provider, "okta")!.inputs;
    // Provider configuration travels as strings (Pulumi serialises non-string config as JSON).
    expect(provider).toMatchObject({ orgName: "dev-123456", baseUrl: "oktapreview.com", maxApiCapacity: "50" });
    for (const secret of ["apiToken", "accessToken", "privateKey", "clientId", "scopes"]) expect(provider).not.toHaveProperty(secret);
  });

  it("declares nothing for a leaver past the grace days (grace 0 in the sample)", async () => {
    const leaver = desired.people.find((p) => p.state === "leaver")!;
    expect(leaver.id).toBe("W1026");
    const { resources } = await declaredSample();
    expect(resources.filter((r) => r.name === leaver.id)).toEqual([]);
    for (const m of of(resources, OKTA_TYPES.groupMemberships)) expect(m.inputs.users).not.toContain(`id-${leaver.id}`);
  });

  it("keeps a leaver in grace deactivated (DEPROVISIONED), in no group, holding no admin role, its profile frozen", async () => {
    const inGrace = compile(
      variant((i) => {
        i.policy.lifecycle.leaverGraceDays = 30;
        worker(i, "W1006").endDate = "2026-11-20"; // an admin leaves too
      }),
      asOf,
    );
    const { resources } = await declare(inGrace);
    for (const id of ["W1026", "W1006"]) {
      expect(find(resources, OKTA_TYPES.user, id)!.inputs.status).toBe("DEPROVISIONED");
      expect(find(resources, OKTA_TYPES.userAdminRoles, id)).toBeUndefined();
      for (const m of of(resources, OKTA_TYPES.groupMemberships)) expect(m.inputs.users).not.toContain(`id-${id}`);
      // The provider refuses profile edits on a DEPROVISIONED user, so HR edits must not reach it.
      expect(planOkta(inGrace.targets.okta!).users.find((u) => u.key === id)!.options.ignoreChanges).toEqual([...USER_PROFILE_INPUTS]);
    }
  });

  it("stages a pre-hire (STAGED, never activated) with no group and no admin role", async () => {
    const prehire = desired.people.find((p) => p.state === "prehire")!;
    const { resources } = await declaredSample();
    expect(find(resources, OKTA_TYPES.user, prehire.id)!.inputs.status).toBe("STAGED");
    expect(find(resources, OKTA_TYPES.userAdminRoles, prehire.id)).toBeUndefined();
    for (const m of of(resources, OKTA_TYPES.groupMemberships)) expect(m.inputs.users).not.toContain(`id-${prehire.id}`);
    // STAGED exists only at creation: an account that already exists keeps its status.
    expect(planOkta(desired.targets.okta!).users.find((u) => u.key === prehire.id)!.options.ignoreChanges).toEqual(["status"]);
  });

  it("changes a mover's memberships and their own department, nothing else", async () => {
    const { resources: before } = await declaredSample();
    const moved = compile(variant((i) => (worker(i, "W1022").department = "Finance")), asOf);
    const { resources: after } = await declare(moved);
    expect(changed(before, after)).toEqual({
      [`${OKTA_TYPES.user}::W1022`]: ["department"],
      [`${OKTA_TYPES.groupMemberships}::sales`]: ["users"],
      [`${OKTA_TYPES.groupMemberships}::finance`]: ["users"],
    });
    expect(find(after, OKTA_TYPES.groupMemberships, "sales")!.inputs.users).not.toContain("id-W1022");
    expect(find(after, OKTA_TYPES.groupMemberships, "finance")!.inputs.users).toContain("id-W1022");
  });

  it("renames in place: a new family name, login and email keep every resource name and touch no replacing input", async () => {
    const { resources: before } = await declaredSample();
    const renamed = compile(variant((i) => (worker(i, "W1010").familyName = "Weber-Klein")), asOf);
    const { resources: after } = await declare(renamed);
    const diff = changed(before, after);
    expect(Object.keys(diff)).toEqual([`${OKTA_TYPES.user}::W1010`]);
    expect(diff[`${OKTA_TYPES.user}::W1010`]).toEqual(["displayName", "email", "lastName", "login"]);
    expect(find(after, OKTA_TYPES.user, "W1010")!.inputs).toMatchObject({ login: "jonas.weberklein@example.com", email: "jonas.weberklein@example.com" });
    for (const [urn, keys] of Object.entries(diff)) {
      const type = urn.split("::")[0]!;
      expect(keys.filter((k) => REPLACED_ON_CHANGE[type]!.includes(k))).toEqual([]);
    }
  });

  it("stops declaring the membership of a group that empties, keeping the group", async () => {
    const emptied = compile(
      variant((i) => {
        worker(i, "W1016").endDate = "2026-11-01"; // the only contractor leaves
        i.catalog.okta!.groups["auditors"] = { name: "Auditors" }; // a group nobody is in yet
      }),
      asOf,
    );
    const { resources } = await declare(emptied);
    expect(find(resources, OKTA_TYPES.group, "contractors")).toBeDefined();
    expect(find(resources, OKTA_TYPES.group, "auditors")!.inputs).toEqual({ name: "Auditors" });
    // Pulumi deletes the contractors GroupMemberships; its delete removes the users it recorded.
    expect(names(resources, OKTA_TYPES.groupMemberships)).not.toContain("contractors");
    expect(names(resources, OKTA_TYPES.groupMemberships)).not.toContain("auditors");
  });

  it("protects a break-glass account and its admin roles", async () => {
    const guarded = compile(variant((i) => i.policy.protected.push("W1006")), asOf);
    const { target, resources } = await declare(guarded);
    // The SDK keeps the protect option it sent to the engine on the resource.
    expect((target.users.get("W1006") as unknown as { __protect?: boolean }).__protect).toBe(true);
    expect((target.users.get("W1001") as unknown as { __protect?: boolean }).__protect).toBeFalsy();
    expect(planOkta(guarded.targets.okta!).adminRoles.find((a) => a.user === "W1006")!.protect).toBe(true);
    expect(find(resources, OKTA_TYPES.userAdminRoles, "W1006")).toBeDefined();
  });

  it("registers the same resources in the same order on every run", async () => {
    const first = (await declare(compile(sample, asOf))).resources.map((r) => `${r.type}::${r.name}`);
    const second = (await declare(compile(structuredClone(sample), asOf))).resources.map((r) => `${r.type}::${r.name}`);
    expect(second).toEqual(first);
    expect(JSON.stringify(planOkta(compile(sample, asOf).targets.okta!))).toBe(JSON.stringify(planOkta(desired.targets.okta!)));
  });
});
