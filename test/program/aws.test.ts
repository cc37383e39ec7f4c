import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile/compile.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import type { DesiredState } from "../../src/model/desired-state.js";
import type { Inputs } from "../../src/model/inputs.js";
import type { Worker } from "../../src/model/person.js";
import { AwsTargetSettingsSchema, type AwsTargetSettings } from "../../src/targets/aws/settings.js";
import { AwsTarget } from "../../src/targets/aws/component.js";
import { stackParallelism } from "../../src/targets/parallelism.js";
import { recordRegistrations, type Registered } from "../support/pulumi-mocks.js";

const T = {
  provider: "pulumi:providers:aws",
  user: "aws:identitystore/user:User",
  group: "aws:identitystore/group:Group",
  membership: "aws:identitystore/groupMembership:GroupMembership",
  permissionSet: "aws:ssoadmin/permissionSet:PermissionSet",
  policies: "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive",
  assignment: "aws:ssoadmin/accountAssignment:AccountAssignment",
} as const;

const INSTANCE = "arn:aws:sso:::instance/ssoins-1234567890abcdef";
const psArn = (key: string) => `arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-${key}`;
const settings: AwsTargetSettings = AwsTargetSettingsSchema.parse({ region: "eu-central-1", identityStoreId: "d-1234567890", instanceArn: INSTANCE });

const registered: Registered[] = [];

// The computed attributes the component reads, shaped like the provider's.
beforeAll(() =>
  recordRegistrations(registered, (args) =>
    args.type === T.user ? { userId: `uid-${args.name}` } : args.type === T.group ? { groupId: `gid-${args.name}` } : args.type === T.permissionSet ? { arn: psArn(args.name) } : {},
  ),
);

/** Waits until registrations stop arriving (they follow the outputs they depend on). */
async function settle(): Promise<void> {
  let last = -1;
  let quiet = 0;
  while (quiet < 3) {
    await new Promise((r) => setTimeout(r, 20));
    quiet = registered.length === last ? quiet + 1 : 0;
    last = registered.length;
  }
}

/** Declares the target for one desired state and returns what was registered, in order. */
async function declare(desired: DesiredState, s: AwsTargetSettings = settings): Promise<{ target: AwsTarget; resources: Registered[] }> {
  registered.length = 0;
  const target = new AwsTarget("aws", { projection: desired.targets.aws!, settings: s });
  await target.declared;
  await settle();
  return { target, resources: registered.filter((r) => r.type !== "rolecall:targets:Aws") };
}

const names = (rs: Registered[], type: string) => rs.filter((r) => r.type === type).map((r) => r.name);
const find = (rs: Registered[], type: string, name: string) => rs.find((r) => r.type === type && r.name === name)!;

let inputs: Inputs;
let sample: DesiredState;

beforeAll(async () => {
  inputs = await loadDesiredState("desired-state");
  sample = compile(inputs, "2026-11-25");
});

/** The sample inputs with one change. */
function variant(change: (i: Inputs) => void): Inputs {
  const copy = structuredClone(inputs);
  change(copy);
  return copy;
}
function worker(i: Inputs, id: string): Worker {
  return i.roster.find((w) => w.value.workerId === id)!.value;
}

describe("the AWS target for the sample organisation (as of 2026-11-25)", () => {
  it("declares exactly these resources", async () => {
    const { target, resources } = await declare(sample);
    const workers = Array.from({ length: 48 }, (_, i) => `W${1001 + i}`).filter((id) => id !== "W1026"); // W1026 left, grace 0
    const expected = {
      [T.provider]: ["aws"],
      [T.user]: [...workers, "svc-payroll-export"],
      [T.group]: ["developers", "finance-billing", "platform-admins"],
      [T.membership]: [
        ...["W1002", "W1008", "W1009", "W1010", "W1011", "W1012", "W1013", "W1014", "W1015", "W1016", "W1017", "W1018", "W1019", "W1020", "W1021"].map((u) => `developers/${u}`),
        ...["W1004", "W1012", "W1030", "W1032", "W1033", "W1034", "W1039", "svc-payroll-export"].map((u) => `finance-billing/${u}`),
        ...["W1010", "W1011", "W1012", "W1013"].map((u) => `platform-admins/${u}`),
      ],
      [T.permissionSet]: ["administrator", "billing", "developer", "read-only"],
      [T.policies]: ["administrator", "billing", "developer", "read-only"],
      [T.assignment]: [
        "developers/prod/read-only",
        "developers/staging/developer",
        "finance-billing/audit/read-only",
        "finance-billing/prod/billing",
        "platform-admins/prod/administrator",
        "platform-admins/staging/administrator",
      ],
    };
    for (const [type, list] of Object.entries(expected)) expect(names(resources, type).sort(), type).toEqual([...list].sort());
    expect(resources).toHaveLength(Object.values(expected).flat().length); // 1 + 48 + 3 + 27 + 4 + 4 + 6
    // The declaration order is the projection's order (registration order also follows outputs: see determinism).
    expect(target.plan.memberships.map((m) => m.name)).toEqual(expected[T.membership]);
    expect(target.plan.assignments.map((a) => a.name)).toEqual(expected[T.assignment]);
  });

  it("applies Identity Center's limits in code: engine parallelism under 15 outstanding assignments, adaptive pacing, and a retry quota no throttling storm exhausts before maxRetries", async () => {
    for (const maxRetries of [25, 40]) {
      const { resources } = await declare(sample, { ...settings, maxRetries });
      // Provider configuration travels as strings (Pulumi serialises non-string config as JSON).
      expect(find(resources, T.provider, "aws").inputs).toMatchObject({ retryMode: "adaptive", maxRetries: String(maxRetries), tokenBucketRateLimiterCapacity: String(10 * maxRetries * 10) });
    }
    // Every stack with this target runs at most 10 operations at once, whatever else it holds or PULUMI_PARALLEL asks.
    for (const targets of [["aws"], ["aws", "scim"], ["aws", "azuread"]]) expect(stackParallelism(targets, "64")).toBe(10);
    expect(stackParallelism(["aws"], "3")).toBe(3);
  });

  it("sets the key inputs", async () => {
    const { resources } = await declare(sample);
    expect(find(resources, T.provider, "aws").inputs).toMatchObject({ region: "eu-central-1" });
    expect(find(resources, T.user, "W1002").inputs).toEqual({
      identityStoreId: "d-1234567890",
      userName: "W1002",
      displayName: "Björn Okafor",
      name: { givenName: "Björn", familyName: "Okafor" },
      emails: { value: "bjorn.okafor@example.com", primary: true, type: "work" },
      userType: "Person",
      title: "VP Engineering",
    });
    expect(find(resources, T.user, "svc-payroll-export").inputs).toMatchObject({ userName: "svc-payroll-export", userType: "ServiceAccount" });
    expect(find(resources, T.group, "platform-admins").inputs).toEqual({ identityStoreId: "d-1234567890", displayName: "Platform Administrators" });
    expect(find(resources, T.membership, "developers/W1002").inputs).toEqual({ identityStoreId: "d-1234567890", groupId: "gid-developers", memberId: "uid-W1002" });
    expect(find(resources, T.permissionSet, "administrator").inputs).toEqual({ instanceArn: INSTANCE, name: "AdministratorAccess", sessionDuration: "PT1H" });
    expect(find(resources, T.policies, "read-only").inputs).toEqual({
      instanceArn: INSTANCE,
      permissionSetArn: psArn("read-only"),
      managedPolicyArns: ["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"],
    });
    expect(find(resources, T.assignment, "platform-admins/prod/administrator").inputs).toEqual({
      instanceArn: INSTANCE,
      permissionSetArn: psArn("administrator"),
      principalId: "gid-platform-admins",
      principalType: "GROUP",
      targetId: "111111111111",
      targetType: "AWS_ACCOUNT",
    });
  });

  it("removes a permission set's assignments before the set: they take its ARN and follow its policies", async () => {
    const { target, resources } = await declare(sample);
    for (const a of target.plan.assignments) {
      expect(find(resources, T.assignment, a.name).inputs.permissionSetArn).toBe(psArn(a.permissionSet));
      expect(a.after).toEqual([a.permissionSet]);
    }
  });

  it("uses the userName suffix when one is configured", async () => {
    const { resources } = await declare(sample, { ...settings, userNameSuffix: "@example.com" });
    expect(find(resources, T.user, "W1002").inputs.userName).toBe("W1002@example.com");
    expect(names(resources, T.user)).toContain("W1002");
  });
});

describe("lifecycle in Identity Center (no disabled user: no memberships instead)", () => {
  it("a leaver past grace has no resources", async () => {
    const { resources } = await declare(sample);
    expect(resources.filter((r) => r.name === "W1026" || r.name.endsWith("/W1026"))).toEqual([]);
  });

  it("a leaver in grace keeps the user and holds no memberships", async () => {
    const desired = compile(
      variant((i) => {
        i.policy.lifecycle.leaverGraceDays = 30;
        Object.assign(worker(i, "W1014"), { status: "terminated", endDate: "2026-11-20" });
      }),
      "2026-11-25",
    );
    const user = desired.targets.aws!.users.find((u) => u.key === "W1014")!;
    expect(user).toMatchObject({ state: "leaver", active: false });
    expect(desired.targets.aws!.groups.flatMap((g) => g.members.map((m) => m.user))).not.toContain("W1014"); // the projection already gives none
    const { resources } = await declare(desired);
    expect(names(resources, T.user)).toContain("W1014");
    expect(names(resources, T.membership).filter((n) => n.endsWith("/W1014"))).toEqual([]);
  });

  it("a pre-hire exists without memberships, and gets them on the start date with no change to the user", async () => {
    expect(sample.targets.aws!.users.find((u) => u.key === "W1048")).toMatchObject({ state: "prehire", active: false });
    const before = await declare(sample);
    expect(names(before.resources, T.user)).toContain("W1048");
    expect(names(before.resources, T.membership).filter((n) => n.endsWith("/W1048"))).toEqual([]);

    const after = await declare(compile(inputs, "2026-12-07"));
    expect(names(after.resources, T.membership)).toContain("developers/W1048");
    expect(find(after.resources, T.user, "W1048").inputs).toEqual(find(before.resources, T.user, "W1048").inputs);
  });

  it("a person on leave whose policy keeps entitlements holds no memberships in Identity Center", async () => {
    const desired = compile(variant((i) => (i.policy.lifecycle.onLeave = "keep-entitlements")), "2026-11-25");
    const financeBilling = desired.targets.aws!.groups.find((g) => g.key === "finance-billing")!;
    expect(financeBilling.members.map((m) => m.user)).toContain("W1031"); // the projection grants it…
    const { target, resources } = await declare(desired);
    expect(names(resources, T.membership)).not.toContain("finance-billing/W1031"); // …Identity Center cannot disable, so it is withheld
    expect(target.plan.withheld).toEqual([{ user: "W1031", groups: ["finance-billing"] }]);
    expect(names(resources, T.user)).toContain("W1031");
  });

  it("a protected account is protected, and outlives its leaving without memberships", async () => {
    const desired = compile(
      variant((i) => {
        i.policy.protected = ["W1010"];
        Object.assign(worker(i, "W1010"), { status: "terminated", endDate: "2026-11-01" });
      }),
      "2026-11-25",
    );
    const { target, resources } = await declare(desired);
    expect(target.plan.users.find((u) => u.name === "W1010")!.protect).toBe(true);
    expect((target.users.get("W1010") as unknown as { __protect?: boolean }).__protect).toBe(true); // the SDK's record of the option
    expect((target.users.get("W1011") as unknown as { __protect?: boolean }).__protect).toBe(false);
    expect(names(resources, T.membership).filter((n) => n.endsWith("/W1010"))).toEqual([]);
  });
});

describe("changes keep resource names", () => {
  function diff(a: Registered[], b: Registered[]) {
    const key = (r: Registered) => `${r.type} ${r.name}`;
    const before = new Map(a.map((r) => [key(r), r]));
    const after = new Map(b.map((r) => [key(r), r]));
    return {
      added: [...after.keys()].filter((k) => !before.has(k)),
      removed: [...before.keys()].filter((k) => !after.has(k)),
      changed: [...after.keys()]
        .filter((k) => before.has(k) && JSON.stringify(before.get(k)!.inputs) !== JSON.stringify(after.get(k)!.inputs))
        .map((k) => ({ key: k, fields: Object.keys({ ...before.get(k)!.inputs, ...after.get(k)!.inputs }).filter((f) => JSON.stringify(before.get(k)!.inputs[f]) !== JSON.stringify(after.get(k)!.inputs[f])) })),
    };
  }

  it("a mover's memberships change and nothing else does", async () => {
    const before = await declare(sample);
    const after = await declare(compile(variant((i) => (worker(i, "W1014").department = "Finance")), "2026-11-25"));
    expect(diff(before.resources, after.resources)).toEqual({
      added: [`${T.membership} finance-billing/W1014`],
      removed: [`${T.membership} developers/W1014`],
      changed: [],
    });
  });

  it("a rename (new name and email, same worker ID) is an update of fields that do not force replacement", async () => {
    const before = await declare(sample);
    const after = await declare(
      compile(
        variant((i) => Object.assign(worker(i, "W1002"), { familyName: "Smith", email: "bjorn.smith@example.com" })),
        "2026-11-25",
      ),
    );
    const d = diff(before.resources, after.resources);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(d.changed.map((c) => ({ ...c, fields: c.fields.sort() }))).toEqual([{ key: `${T.user} W1002`, fields: ["displayName", "emails", "name"] }]);
    // identitystore_user docs: only user_name and identity_store_id force replacement.
    expect(find(after.resources, T.user, "W1002").inputs).toMatchObject({ userName: "W1002", identityStoreId: "d-1234567890", emails: { value: "bjorn.smith@example.com" } });
  });
});

describe("determinism", () => {
  it("registers the same resources in the same order on every run", async () => {
    const first = (await declare(sample)).resources.map((r) => `${r.type} ${r.name}`);
    const second = (await declare(compile(inputs, "2026-11-25"))).resources.map((r) => `${r.type} ${r.name}`);
    expect(second).toEqual(first);
  });

  it("plans the same thing, in the same order, from the same projection", async () => {
    const a = (await declare(sample)).target.plan;
    const b = (await declare(compile(inputs, "2026-11-25"))).target.plan;
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});
