import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile/compile.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import type { DesiredState } from "../../src/model/desired-state.js";
import type { Inputs } from "../../src/model/inputs.js";
import { AwsTargetSettingsSchema } from "../../src/targets/aws/settings.js";
import { AwsTarget } from "../../src/targets/aws/component.js";
import { AWS_USER_INPUTS } from "../../src/targets/aws/convert.js";
import { recordRegistrations, type Registered } from "../support/pulumi-mocks.js";
import { joinDeclared, optionsCapture, plannedChanges, type Declared } from "./support/capture.js";
import { replacements } from "./support/replacement.js";
import { rehireInGrace, worker } from "./support/hr-changes.js";

const USER = "aws:identitystore/user:User";
const MEMBERSHIP = "aws:identitystore/groupMembership:GroupMembership";
const registered: Registered[] = [];
beforeAll(() =>
  recordRegistrations(registered, (args) =>
    args.type === USER ? { userId: `uid-${args.name}` } : args.type === "aws:identitystore/group:Group" ? { groupId: `gid-${args.name}` } : args.type === "aws:ssoadmin/permissionSet:PermissionSet" ? { arn: `arn-${args.name}` } : {},
  ),
);

const asOf = "2026-11-25";
const sample = await loadDesiredState("desired-state");
const settings = AwsTargetSettingsSchema.parse({ region: "eu-central-1", identityStoreId: "d-1234567890", instanceArn: "arn:aws:sso:::instance/ssoins-1234567890abcdef" });

function variant(change: (inputs: Inputs) => void): Inputs {
  const copy = structuredClone(sample);
  change(copy);
  return copy;
}

async function declare(desired: DesiredState): Promise<Declared[]> {
  const start = registered.length;
  const capture = optionsCapture();
  new AwsTarget("aws", { projection: desired.targets.aws!, settings }, { transformations: [capture.transform] });
  let seen = -1;
  let quiet = 0;
  while (quiet < 3) {
    await new Promise((r) => setTimeout(r, 30));
    quiet = registered.length === seen ? quiet + 1 : 0;
    seen = registered.length;
  }
  return joinDeclared(registered.slice(start), capture.byUrn);
}

/** A user's attributes as the provider diffs them: `name` by its parts (the ignore paths are `name.<part>`). */
function flat(inputs: Record<string, unknown>): Record<string, unknown> {
  const { name, ...rest } = inputs;
  return { ...rest, ...Object.fromEntries(Object.entries((name ?? {}) as Record<string, unknown>).map(([k, v]) => [`name.${k}`, v])) };
}
const userOf = (d: Declared[], key: string) => d.find((r) => r.type === USER && r.name === key);
const membershipsOf = (d: Declared[], key: string) => d.filter((r) => r.type === MEMBERSHIP && r.name.endsWith(`/${key}`)).map((r) => r.name.slice(0, -key.length - 1)).sort();

/** What others write on users in Identity Center (the console, SCIM from an IdP, a script). */
const OTHERS = {
  phoneNumbers: { value: "+44 20 1", primary: true, type: "work" },
  addresses: { locality: "London", primary: true, type: "work" },
  locale: "en-GB",
  nickname: "Jo",
  timezone: "Europe/London",
  preferredLanguage: "en",
  profileUrl: "https://intranet.example.com/jo",
  "name.middleName": "Q",
  "name.formatted": "Jonas Q Weber",
  userStatus: "DISABLED",
};

describe("the Identity Center lifecycle, as the provider receives it", () => {
  interface Row {
    name: string;
    key: string;
    before?: (i: Inputs) => void;
    after: (i: Inputs) => void;
    /** The user's planned changes; `create` when created; `delete` when it goes. */
    planned: Record<string, unknown> | { create: Record<string, unknown> } | "delete";
    /** The catalog groups the user is a member of afterwards. */
    groups?: string[];
  }

  const rows: Row[] = [
    {
      name: "joiner: created with userName = worker ID, memberships with it",
      key: "W1050",
      after: (i) => i.roster.push({ ...structuredClone(i.roster.find((r) => r.value.workerId === "W1014")!), value: { ...worker(i, "W1014"), workerId: "W1050", givenName: "Noor", familyName: "Haddad", email: undefined, startDate: "2026-11-01" } }),
      planned: { create: { userName: "W1050", displayName: "Noor Haddad", name: { givenName: "Noor", familyName: "Haddad" }, emails: { value: "noor.haddad@example.com", primary: true, type: "work" } } },
      groups: ["developers"],
    },
    {
      name: "mover: the user is untouched, one membership goes and one comes",
      key: "W1014",
      after: (i) => (worker(i, "W1014").department = "Finance"),
      planned: {},
      groups: ["finance-billing"],
    },
    {
      name: "rename: display name, family name and email change in place, userName stays",
      key: "W1010",
      after: (i) => (worker(i, "W1010").familyName = "Weber-Klein"),
      planned: { displayName: "Jonas Weber-Klein", "name.familyName": "Weber-Klein", emails: { value: "jonas.weberklein@example.com", primary: true, type: "work" } },
      groups: ["developers", "platform-admins"],
    },
    {
      name: "leave: the user stays, every membership goes (no disabled user to set)",
      key: "W1010",
      after: (i) => (worker(i, "W1010").status = "leave"),
      planned: {},
      groups: [],
    },
    {
      name: "back from leave: memberships come back",
      key: "W1032",
      before: (i) => (worker(i, "W1032").status = "leave"),
      after: (i) => (worker(i, "W1032").status = "active"),
      planned: {},
      groups: ["finance-billing"],
    },
    {
      name: "leaver in grace: the user stays without memberships",
      key: "W1010",
      after: (i) => {
        i.policy.lifecycle.leaverGraceDays = 30;
        worker(i, "W1010").endDate = "2026-11-20";
      },
      planned: {},
      groups: [],
    },
    {
      name: "leaver past grace: the user is deleted",
      key: "W1010",
      after: (i) => {
        i.policy.lifecycle.leaverGraceDays = 30;
        worker(i, "W1010").endDate = "2026-10-01";
      },
      planned: "delete",
      groups: [],
    },
    {
      name: "pre-hire: created without memberships",
      key: "W1048",
      before: (i) => (i.roster = i.roster.filter((r) => r.value.workerId !== "W1048")),
      after: (i) => (i.roster = sample.roster.map((r) => structuredClone(r))),
      planned: { create: { userName: "W1048" } },
      groups: [],
    },
    {
      name: "rehire in grace, before the start date: the same user, the new title, no membership",
      ...rehireInGrace("2026-12-01"),
      planned: { title: "Staff Engineer" },
      groups: [],
    },
    {
      name: "rehire in grace, on the start date: the same user, memberships back",
      ...rehireInGrace("2026-11-20"),
      planned: { title: "Staff Engineer" },
      groups: ["developers", "platform-admins"],
    },
    {
      name: "rehire after the grace: a new user, no membership before the start date",
      key: "W1026",
      after: (i) => {
        worker(i, "W1026").endDate = undefined;
        worker(i, "W1026").status = "active";
        worker(i, "W1026").startDate = "2026-12-01";
      },
      planned: { create: { userName: "W1026" } },
      groups: [],
    },
    {
      name: "admin disable in the console (userStatus DISABLED) and others' attributes: nothing sent, memberships kept",
      key: "W1010",
      after: () => {},
      planned: {},
      groups: ["developers", "platform-admins"],
    },
    {
      name: "an HR edit beside others' attributes: only the edit is sent",
      key: "W1010",
      after: (i) => (worker(i, "W1010").title = "Senior Engineer"),
      planned: { title: "Senior Engineer" },
    },
  ];

  let sampleRun: Promise<Declared[]> | undefined;
  const steady = () => (sampleRun ??= declare(compile(sample, asOf)));

  it.each(rows)("$name", async (row) => {
    const before = row.before ? await declare(compile(variant(row.before), asOf)) : await steady();
    const after = await declare(
      compile(
        variant((i) => {
          row.before?.(i);
          row.after(i);
        }),
        asOf,
      ),
    );
    const was = userOf(before, row.key);
    const now = userOf(after, row.key);
    if (row.planned === "delete") {
      expect(was).toBeDefined();
      expect(now).toBeUndefined();
    } else if ("create" in row.planned) {
      expect(was).toBeUndefined();
      expect(now!.inputs).toMatchObject(row.planned.create as Record<string, unknown>);
    } else {
      expect(was).toBeDefined();
      // What Identity Center holds now: what rolecall set last run and what others wrote.
      const live = { ...flat(was!.inputs), ...OTHERS };
      expect(plannedChanges({ inputs: flat(now!.inputs), ignoreChanges: now!.ignoreChanges }, live, AWS_USER_INPUTS)).toEqual(row.planned);
    }
    if (row.groups) expect(membershipsOf(after, row.key)).toEqual(row.groups);
    expect(replacements(before, after).replaced).toEqual({});
  });

  it("the provider backs off on throttling across the run (adaptive retries) and the group and permission set keep what others set", async () => {
    const d = await steady();
    expect(d.find((r) => r.type === "pulumi:providers:aws")!.inputs).toMatchObject({ retryMode: "adaptive", region: "eu-central-1" });
    for (const r of d.filter((x) => x.type === "aws:ssoadmin/permissionSet:PermissionSet")) expect(r.ignoreChanges).toEqual(expect.arrayContaining(["relayState", "tags"]));
    for (const r of d.filter((x) => x.type === "aws:identitystore/group:Group")) expect(r.ignoreChanges).toEqual(r.inputs.description === undefined ? ["description"] : []);
  });

  it("a rename that reached userName would be a replacement, and the check says so", async () => {
    const before = await steady();
    const renamed = before.map((d) => (d.type === USER && d.name === "W1010" ? { ...d, inputs: { ...d.inputs, userName: "jonas.weberklein@example.com" } } : d));
    expect(replacements(before, renamed).replaced).toEqual({ [`${USER}::W1010`]: ["userName"] });
  });
});
