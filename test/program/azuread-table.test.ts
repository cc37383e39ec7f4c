import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile/compile.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import type { DesiredState } from "../../src/model/desired-state.js";
import type { Inputs } from "../../src/model/inputs.js";
import type { AzureAdTargetSettings } from "../../src/targets/azuread/settings.js";
import { AzureAdTarget } from "../../src/targets/azuread/component.js";
import { AZUREAD_TYPES, AZUREAD_USER_INPUTS } from "../../src/targets/azuread/convert.js";
import { planAzureAd, plannedResources } from "../../src/targets/azuread/plan.js";
import type { AzureAdPrevious } from "../../src/targets/azuread/previous.js";
import { settleRecord, stackRecord, type StackRecord } from "../../src/targets/record.js";
import { recordRegistrations, type Registered } from "../support/pulumi-mocks.js";
import { joinDeclared, optionsCapture, plannedChanges, type Declared } from "./support/capture.js";
import { replacements } from "./support/replacement.js";
import { rehireInGrace, worker } from "./support/hr-changes.js";

const registered: Registered[] = [];
beforeAll(() =>
  recordRegistrations(registered, (args) => ({ objectId: `oid-${args.name}`, ...(args.type === AZUREAD_TYPES.initialPassword ? { result: "pw" } : {}) })),
);

const asOf = "2026-11-25";
const sample = await loadDesiredState("desired-state");
const SETTINGS: AzureAdTargetSettings = { tenantId: "00000000-0000-4000-8000-000000000001" };
/** Every azuread.User input the provider's update would send, the seeding password aside. */
const USER_ATTRIBUTES = AZUREAD_USER_INPUTS.filter((a) => a !== "password");

function variant(change: (inputs: Inputs) => void): Inputs {
  const copy = structuredClone(sample);
  change(copy);
  return copy;
}

async function declare(desired: DesiredState, previous?: AzureAdPrevious, settings: AzureAdTargetSettings = SETTINGS): Promise<Declared[]> {
  const start = registered.length;
  const capture = optionsCapture();
  new AzureAdTarget("azuread", { projection: desired.targets.azuread!, settings, previous }, { transformations: [capture.transform] });
  const expected = 1 + plannedResources(planAzureAd(desired.targets.azuread!, settings, previous)).length;
  const deadline = Date.now() + 30_000;
  while (registered.length - start < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  let seen = -1;
  while (seen !== registered.length) {
    seen = registered.length;
    await new Promise((r) => setTimeout(r, 50));
  }
  return joinDeclared(registered.slice(start), capture.byUrn);
}

/**
 * The previous run as the next one reads it: the state's users and groups (with what the last
 * refresh saw of `accountEnabled`), and the record the apply left.
 */
function previousOf(declared: Declared[], record: StackRecord, enabledNow: Record<string, boolean> = {}): AzureAdPrevious {
  const users = declared.filter((d) => d.type === AZUREAD_TYPES.user);
  return {
    memberwise: new Set(declared.filter((d) => d.type === AZUREAD_TYPES.groupWithoutMembers).map((g) => g.name)),
    inline: new Map(),
    users: new Map(users.map((u) => [u.name, `oid-${u.name}`])),
    enabled: new Map(users.map((u) => [u.name, enabledNow[u.name] ?? (u.inputs.accountEnabled as boolean)])),
    record,
  };
}

const find = (declared: Declared[], type: string, name: string) => declared.find((r) => r.type === type && r.name === name);
const groupsOf = (declared: Declared[], key: string) =>
  declared.filter((d) => d.type === AZUREAD_TYPES.groupMember && d.inputs.memberObjectId === `oid-${key}`).map((d) => d.name.slice(0, d.name.lastIndexOf("/")));
const rolesOf = (declared: Declared[], key: string) => declared.filter((d) => d.type === AZUREAD_TYPES.directoryRoleAssignment && d.name.endsWith(`/${key}`)).map((d) => d.name);

describe("the Entra ID lifecycle, as the provider receives it", () => {
  interface Row {
    name: string;
    key: string;
    before?: (i: Inputs) => void;
    after: (i: Inputs) => void;
    /** `accountEnabled` as Entra ID holds it now, when someone else changed it. */
    enabledNow?: boolean;
    /** The record the last apply left, when it is not the one of `before` (a failed step). */
    record?: (before: DesiredState, after: DesiredState) => StackRecord;
    settings?: Partial<AzureAdTargetSettings>;
    /** The planned changes of the account; `create` when it is created; `delete` when it goes. */
    planned: Record<string, unknown> | { create: Record<string, unknown> } | "delete";
    groups?: string[];
    /** The plan reports the account as disabled outside rolecall. */
    disabledOutside?: boolean;
  }

  const rows: Row[] = [
    {
      name: "joiner: created enabled with the HR profile and the manager's object ID",
      key: "W1050",
      after: (i) => i.roster.push({ ...structuredClone(i.roster.find((r) => r.value.workerId === "W1010")!), value: { ...worker(i, "W1010"), workerId: "W1050", givenName: "Noor", familyName: "Haddad", email: undefined, startDate: "2026-11-01" } }),
      planned: { create: { accountEnabled: true, givenName: "Noor", surname: "Haddad", employeeId: "W1050", managerId: "oid-W1009", userPrincipalName: "noor.haddad@example.com" } },
    },
    {
      name: "mover: only the department changes on the account",
      key: "W1022",
      after: (i) => (worker(i, "W1022").department = "Finance"),
      planned: { department: "Finance" },
    },
    {
      name: "rename: names, UPN and mail change in place",
      key: "W1010",
      after: (i) => (worker(i, "W1010").familyName = "Weber-Klein"),
      planned: { surname: "Weber-Klein", displayName: "Jonas Weber-Klein", userPrincipalName: "jonas.weberklein@example.com", mail: "jonas.weberklein@example.com" },
    },
    {
      name: "leave: disabled",
      key: "W1010",
      after: (i) => (worker(i, "W1010").status = "leave"),
      planned: { accountEnabled: false },
    },
    {
      name: "back from leave: enabled again (rolecall disabled it)",
      key: "W1031",
      after: (i) => (worker(i, "W1031").status = "active"),
      planned: { accountEnabled: true },
    },
    {
      name: "back from leave after an apply whose enable failed: the enable is sent again",
      key: "W1031",
      after: (i) => (worker(i, "W1031").status = "active"),
      record: (before, after) => settleRecord(stackRecord(before, ["azuread"]), stackRecord(after, ["azuread"]), [{ target: "azuread", name: "W1031", account: true }]),
      enabledNow: false,
      planned: { accountEnabled: true },
    },
    {
      name: "leaver in grace: disabled, out of every group and role",
      key: "W1006",
      after: (i) => {
        i.policy.lifecycle.leaverGraceDays = 30;
        worker(i, "W1006").endDate = "2026-11-20";
      },
      planned: { accountEnabled: false },
      groups: [],
    },
    {
      name: "leaver past grace: the account is deleted",
      key: "W1010",
      after: (i) => {
        i.policy.lifecycle.leaverGraceDays = 30;
        worker(i, "W1010").endDate = "2026-10-01";
      },
      planned: "delete",
    },
    {
      name: "pre-hire: created disabled, in no group",
      key: "W1048",
      before: (i) => (i.roster = i.roster.filter((r) => r.value.workerId !== "W1048")),
      after: (i) => (i.roster = sample.roster.map((r) => structuredClone(r))),
      planned: { create: { accountEnabled: false, employeeId: "W1048" } },
      groups: [],
    },
    {
      name: "rehire in grace, before the start date: stays disabled, the new profile is sent",
      ...rehireInGrace("2026-12-01"),
      planned: { jobTitle: "Staff Engineer" },
      groups: [],
    },
    {
      name: "rehire in grace, on the start date: enabled with the new profile in one update",
      ...rehireInGrace("2026-11-20"),
      planned: { accountEnabled: true, jobTitle: "Staff Engineer" },
    },
    {
      name: "rehire after the grace: the account was deleted, a new one is created disabled until the start date",
      key: "W1026",
      after: (i) => {
        worker(i, "W1026").endDate = undefined;
        worker(i, "W1026").status = "active";
        worker(i, "W1026").startDate = "2026-12-01";
      },
      planned: { create: { accountEnabled: false, employeeId: "W1026" } },
    },
    {
      name: "admin disable of an active person (incident): left disabled, nothing sent, reported",
      key: "W1010",
      after: () => {},
      enabledNow: false,
      planned: {},
      disabledOutside: true,
    },
    {
      name: "admin disable, and an HR edit the same day: the edit is sent, the block stays",
      key: "W1010",
      after: (i) => (worker(i, "W1010").title = "Senior Engineer"),
      enabledNow: false,
      planned: { jobTitle: "Senior Engineer" },
      disabledOutside: true,
    },
    {
      name: "admin disable with statusDrift: revert: enabled again",
      key: "W1010",
      after: () => {},
      enabledNow: false,
      settings: { statusDrift: "revert" },
      planned: { accountEnabled: true },
    },
    {
      name: "someone enabled an account rolecall keeps disabled (on leave): disabled again",
      key: "W1031",
      after: () => {},
      enabledNow: true,
      planned: { accountEnabled: false },
    },
  ];

  let sampleRun: Promise<Declared[]> | undefined;
  const steady = () => (sampleRun ??= declare(compile(sample, asOf)));

  it.each(rows)("$name", async (row) => {
    // The last run of a stack in its steady state: every account as its lifecycle declared it.
    const beforeDesired = compile(row.before ? variant(row.before) : sample, asOf);
    const before = row.before ? await declare(beforeDesired) : await steady();
    const afterDesired = compile(
      variant((i) => {
        row.before?.(i);
        row.after(i);
      }),
      asOf,
    );
    const record = row.record ? row.record(beforeDesired, afterDesired) : stackRecord(beforeDesired, ["azuread"]);
    const enabledNow = row.enabledNow === undefined ? {} : { [row.key]: row.enabledNow };
    const previous = previousOf(before, record, enabledNow);
    const settings = { ...SETTINGS, ...row.settings };
    const after = await declare(afterDesired, previous, settings);
    const was = find(before, AZUREAD_TYPES.user, row.key);
    const now = find(after, AZUREAD_TYPES.user, row.key);

    if (row.planned === "delete") {
      expect(was).toBeDefined();
      expect(now).toBeUndefined();
      expect(replacements(before, after).deleted).toContain(`${AZUREAD_TYPES.user}::${row.key}`);
    } else if ("create" in row.planned) {
      expect(was).toBeUndefined();
      expect(now!.inputs).toMatchObject(row.planned.create as Record<string, unknown>);
    } else {
      expect(was).toBeDefined();
      // What Entra ID holds now: what rolecall set last run, what others set, and the enabled flag as it is.
      const others = { usageLocation: "GB", businessPhones: ["+44 20 1"], mobilePhone: "+44 7700 1", officeLocation: "London 2.01", city: "London" };
      const live = { ...was!.inputs, ...others, ...(row.enabledNow === undefined ? {} : { accountEnabled: row.enabledNow }) };
      expect(plannedChanges(now!, live, USER_ATTRIBUTES)).toEqual(row.planned);
    }
    if (row.groups) {
      expect(groupsOf(after, row.key)).toEqual(row.groups);
      expect(rolesOf(after, row.key)).toEqual([]);
    }
    const planned = planAzureAd(afterDesired.targets.azuread!, settings, previous).users.find((u) => u.key === row.key);
    expect(planned?.disabledOutside ?? false).toBe(row.disabledOutside ?? false);
    expect(replacements(before, after).replaced).toEqual({});
  });
});
