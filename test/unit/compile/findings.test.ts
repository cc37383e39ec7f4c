/**
 * One small case per finding code that src/compile and src/load produce: each asserts the code,
 * the severity and the place (file, line) — never the wording, which is free to improve.
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { loadDesiredState } from "../../../src/load/desired-state-dir.js";
import { CatalogSchema } from "../../../src/model/catalog.js";
import type { Finding } from "../../../src/model/finding.js";
import { GrantSchema } from "../../../src/model/grant.js";
import type { Inputs } from "../../../src/model/inputs.js";
import { WorkerSchema } from "../../../src/model/person.js";
import { PolicySchema } from "../../../src/model/policy.js";
import { RoleSchema } from "../../../src/model/role.js";
import { RuleSchema } from "../../../src/model/rule.js";
import { ServiceAccountSchema } from "../../../src/model/service-account.js";

const AS_OF = "2026-11-25";

// ---------------------------------------------------------------------------------------------
// Inputs built in code. Every list item sits at a known place:
//   roster row i → hr/roster.csv line i + 2 (line 1 is the header)
//   roles / rules / grants / service accounts item i → their file, line 3 + 10·i

const ROSTER = "hr/roster.csv";
const ROLES = "roles/base.yaml";
const RULES = "rules/base.yaml";
const GRANTS = "grants/base.yaml";
const ACCOUNTS = "service-accounts/base.yaml";
const item = (i: number) => 3 + 10 * i;

type Raw = Record<string, unknown>;
interface Org {
  policy: Raw;
  catalog: Raw;
  roster: Raw[];
  roles: Raw[];
  rules: Raw[];
  grants: Raw[];
  serviceAccounts: Raw[];
}

/** Ada manages Grace and Alan; everyone gets `staff` by birthright; `admin` is privileged. */
function org(): Org {
  return {
    policy: { organization: { domain: "example.com" } },
    catalog: { scim: { groups: { "all-staff": { displayName: "All Staff" }, admins: { displayName: "Admins" } } } },
    roster: [
      { workerId: "W1", givenName: "Ada", familyName: "Lovelace", department: "Engineering", startDate: "2020-01-01" },
      { workerId: "W2", givenName: "Grace", familyName: "Hopper", department: "Engineering", managerId: "W1", startDate: "2021-01-01" },
      { workerId: "W3", givenName: "Alan", familyName: "Turing", department: "Finance", managerId: "W1", startDate: "2022-01-01" },
    ],
    roles: [
      { id: "staff", description: "Everyone", owner: "W1", entitlements: { scim: { groups: ["all-staff"] } } },
      { id: "admin", description: "Directory admins", owner: "W1", privileged: true, entitlements: { scim: { groups: ["admins"] } } },
    ],
    rules: [{ id: "birthright", description: "Every active worker", when: {}, assign: ["staff"] }],
    grants: [],
    serviceAccounts: [],
  };
}

/** A valid grant of `admin` to Grace, approved by Ada: in force on AS_OF. */
const adminGrant = (fields: Raw = {}): Raw => ({
  id: "g-admin",
  worker: "W2",
  role: "admin",
  reason: "migration",
  ticket: "IAM-1",
  approvedBy: "W1",
  granted: "2026-11-01",
  expires: "2026-12-31",
  ...fields,
});

const bot = (fields: Raw = {}): Raw => ({ id: "bot", owner: "W1", purpose: "integration", expires: "2027-06-30", roles: ["staff"], ...fields });

function inputs(o: Org): Inputs {
  return {
    policy: PolicySchema.parse(o.policy),
    catalog: CatalogSchema.parse(o.catalog),
    roster: o.roster.map((w, i) => ({ value: WorkerSchema.parse(w), at: { file: ROSTER, line: i + 2 } })),
    roles: o.roles.map((r, i) => ({ value: RoleSchema.parse(r), at: { file: ROLES, line: item(i) } })),
    rules: o.rules.map((r, i) => ({ value: RuleSchema.parse(r), at: { file: RULES, line: item(i) } })),
    grants: o.grants.map((g, i) => ({ value: GrantSchema.parse(g), at: { file: GRANTS, line: item(i) } })),
    serviceAccounts: o.serviceAccounts.map((s, i) => ({ value: ServiceAccountSchema.parse(s), at: { file: ACCOUNTS, line: item(i) } })),
    files: [],
    findings: [],
  };
}

const place = ({ severity, code, file, line }: Finding) => ({ severity, code, file, line });

/** The one finding with `code`; fails when there is none or more than one. */
function only(findings: Finding[], code: string) {
  const hits = findings.filter((f) => f.code === code);
  expect(hits.map(place), `findings: ${JSON.stringify(findings.map(place))}`).toHaveLength(1);
  return place(hits[0]!);
}

const row = (o: Org, id: string) => o.roster.find((w) => w.workerId === id)!;

type Expected = { severity: Finding["severity"]; file?: string; line?: number };
const error = (file: string, line?: number): Expected => ({ severity: "error", file, line });
const warning = (file: string, line?: number): Expected => ({ severity: "warning", file, line });
const info = (file: string, line?: number): Expected => ({ severity: "info", file, line });

const compileCases: [string, string, (o: Org) => void, Expected][] = [
  // roster integrity
  ["duplicate-worker", "a second row for W2", (o) => o.roster.push({ ...row(o, "W2") }), error(ROSTER, 5)],
  ["stale-end-date", "Alan's end date is before his start: an earlier employment's, ignored", (o) => (row(o, "W3").endDate = "2021-06-30"), warning(ROSTER, 4)],
  [
    "contractor-without-end-date",
    "a rehired contractor whose only end date is the old contract's",
    (o) => Object.assign(row(o, "W3"), { workerType: "contractor", endDate: "2021-06-30" }),
    error(ROSTER, 4),
  ],
  ["contractor-without-end-date", "Alan is a contractor with no end date", (o) => (row(o, "W3").workerType = "contractor"), error(ROSTER, 4)],
  ["manager-cycle", "Ada reports to Grace, who reports to Ada", (o) => (row(o, "W1").managerId = "W2"), error(ROSTER, 2)],
  ["unknown-manager", "Alan reports to W9", (o) => (row(o, "W3").managerId = "W9"), warning(ROSTER, 4)],
  [
    "duplicate-email",
    "Grace and Alan share an HR email",
    (o) => {
      row(o, "W2").email = "shared@example.com";
      row(o, "W3").email = "Shared@example.com";
    },
    error(ROSTER, 4),
  ],
  // roles
  ["duplicate-role", "staff defined twice", (o) => o.roles.push({ ...o.roles[0]! }), error(ROLES, item(2))],
  ["unknown-role", "staff includes an undefined role", (o) => (o.roles[0]!.includes = ["ghost"]), error(ROLES, item(0))],
  [
    "role-include-cycle",
    "staff and admin include each other",
    (o) => {
      o.roles[0]!.includes = ["admin"];
      o.roles[1]!.includes = ["staff"];
    },
    error(ROLES, item(1)),
  ],
  ["unknown-catalog-key", "staff grants a group the catalog lacks", (o) => (o.roles[0]!.entitlements = { scim: { groups: ["all-staff", "ghost"] } }), error(ROLES, item(0))],
  ["unknown-owner", "admin is owned by W9, who is not in the roster", (o) => (o.roles[1]!.owner = "W9"), error(ROLES, item(1))],
  // history does not block the present
  [
    "stale-row",
    "a rehire's earlier, terminated row for the same worker ID",
    (o) => o.roster.push({ ...row(o, "W2"), status: "terminated", startDate: "2015-01-01", endDate: "2018-06-30" }),
    warning(ROSTER, 5),
  ],
  [
    "duplicate-worker",
    "two current rows for one worker ID, the other one earlier in the file",
    (o) => o.roster.unshift({ ...row(o, "W2"), givenName: "Gracie" }),
    error(ROSTER, 4),
  ],
  [
    "stale-end-date",
    "a rehired worker's row still carries the old termination date",
    (o) => Object.assign(row(o, "W3"), { startDate: "2026-03-01", endDate: "2024-12-31" }),
    warning(ROSTER, 4),
  ],
  [
    "stale-duplicate-email",
    "an ended contract without an account shares an email with the new employee record",
    (o) => {
      row(o, "W3").email = "alan@example.com";
      o.roster.push({ workerId: "C3", givenName: "Alan", familyName: "Turing", workerType: "contractor", email: "alan@example.com", startDate: "2021-01-01", endDate: "2021-12-31" });
    },
    warning(ROSTER, 5),
  ],
  [
    "duplicate-email",
    "a leaver still in grace, with an account, shares an email with a current worker",
    (o) => {
      o.policy.lifecycle = { leaverGraceDays: 30 };
      row(o, "W3").email = "alan@example.com";
      o.roster.push({ workerId: "C3", givenName: "Alan", familyName: "Turing", workerType: "contractor", email: "alan@example.com", startDate: "2021-01-01", endDate: "2026-11-20" });
    },
    error(ROSTER, 4),
  ],
  [
    "grant-too-long",
    "an expired grant that was too long is history: a warning",
    (o) => o.grants.push(adminGrant({ granted: "2026-01-01", expires: "2026-10-31" })),
    warning(GRANTS, item(0)),
  ],
  // rules
  ["duplicate-rule", "birthright defined twice", (o) => o.rules.push({ ...o.rules[0]! }), error(RULES, item(1))],
  ["unknown-role", "a rule assigns an undefined role", (o) => o.rules.push({ id: "ghosts", description: "x", when: { department: "Finance" }, assign: ["ghost"] }), error(RULES, item(1))],
  ["unknown-attribute", "a rule tests shoeSize", (o) => o.rules.push({ id: "feet", description: "x", when: { all: [{ shoeSize: "42" }] }, assign: ["staff"] }), error(RULES, item(1))],
  // grants
  ["unknown-role", "a grant of an undefined role", (o) => o.grants.push(adminGrant({ role: "ghost" })), error(GRANTS, item(0))],
  ["unknown-worker", "a grant to W9, who is not in the roster", (o) => o.grants.push(adminGrant({ worker: "W9" })), error(GRANTS, item(0))],
  ["unknown-worker", "a grant approved by W9, who is not in the roster", (o) => o.grants.push(adminGrant({ approvedBy: "W9" })), error(GRANTS, item(0))],
  ["unknown-sod-conflict", "a grant excepts a conflict policy does not define", (o) => o.grants.push(adminGrant({ sodExceptions: ["ghost-conflict"] })), error(GRANTS, item(0))],
  ["duplicate-grant", "the same grant id twice", (o) => o.grants.push(adminGrant(), adminGrant({ worker: "W3" })), error(GRANTS, item(1))],
  ["grant-dates", "expires before it is granted", (o) => o.grants.push(adminGrant({ granted: "2026-12-20", expires: "2026-12-10" })), error(GRANTS, item(0))],
  ["grant-too-long", "120 days where policy allows 90", (o) => o.grants.push(adminGrant({ granted: "2026-11-01", expires: "2027-02-28" })), error(GRANTS, item(0))],
  ["grant-unapproved", "a privileged role without a ticket", (o) => o.grants.push(adminGrant({ ticket: undefined })), error(GRANTS, item(0))],
  ["grant-self-approved", "Grace approves her own grant", (o) => o.grants.push(adminGrant({ approvedBy: "W2" })), error(GRANTS, item(0))],
  [
    "grant-approver-inactive",
    "approved by Alan, who is on leave",
    (o) => {
      row(o, "W3").status = "leave";
      o.grants.push(adminGrant({ approvedBy: "W3" }));
    },
    warning(GRANTS, item(0)),
  ],
  [
    "grant-to-leaver",
    "a grant to Alan, who is terminated",
    (o) => {
      row(o, "W3").status = "terminated";
      o.grants.push(adminGrant({ worker: "W3" }));
    },
    warning(GRANTS, item(0)),
  ],
  ["grant-expired", "expired last month", (o) => o.grants.push(adminGrant({ granted: "2026-09-01", expires: "2026-10-31" })), info(GRANTS, item(0))],
  ["grant-not-started", "starts next week", (o) => o.grants.push(adminGrant({ granted: "2026-12-01", expires: "2026-12-31" })), info(GRANTS, item(0))],
  // policy references
  ["unknown-role", "a separation-of-duties conflict names an undefined role", (o) => (o.policy.separationOfDuties = [{ id: "sod", roles: ["staff", "ghost"], reason: "x" }]), error("policy.yaml")],
  ["unknown-protected", "a break-glass account not in the roster", (o) => (o.policy.protected = ["W9"]), error("policy.yaml")],
  // separation of duties
  [
    "sod-conflict",
    "Grace holds staff (rule) and admin (grant), which policy forbids together",
    (o) => {
      o.policy.separationOfDuties = [{ id: "staff-vs-admin", roles: ["staff", "admin"], reason: "x" }];
      o.grants.push(adminGrant());
    },
    error(ROSTER, 3),
  ],
  [
    "sod-exception",
    "the same, approved by the grant",
    (o) => {
      o.policy.separationOfDuties = [{ id: "staff-vs-admin", roles: ["staff", "admin"], reason: "x" }];
      o.grants.push(adminGrant({ sodExceptions: ["staff-vs-admin"] }));
    },
    info(GRANTS, item(0)),
  ],
  // service accounts
  ["unknown-role", "a service account holds an undefined role", (o) => o.serviceAccounts.push(bot({ roles: ["ghost"] })), error(ACCOUNTS, item(0))],
  ["duplicate-service-account", "the same id twice", (o) => o.serviceAccounts.push(bot(), bot()), error(ACCOUNTS, item(1))],
  [
    "service-account-collision",
    "svc-bot is also a worker ID",
    (o) => {
      o.roster.push({ workerId: "svc-bot", givenName: "Robo", familyName: "Tester", startDate: "2020-01-01" });
      o.serviceAccounts.push(bot());
    },
    error(ACCOUNTS, item(0)),
  ],
  [
    "service-account-owner-on-leave",
    "its owner is on leave",
    (o) => {
      row(o, "W3").status = "leave";
      o.serviceAccounts.push(bot({ owner: "W3" }));
    },
    warning(ACCOUNTS, item(0)),
  ],
  ["service-account-invalid", "expired, policy drops it", (o) => o.serviceAccounts.push(bot({ expires: "2026-01-31" })), warning(ACCOUNTS, item(0))],
  [
    "service-account-invalid",
    "owner terminated, policy fails it",
    (o) => {
      o.policy.serviceAccounts = { onInvalid: "fail" };
      row(o, "W3").status = "terminated";
      o.serviceAccounts.push(bot({ owner: "W3" }));
    },
    error(ACCOUNTS, item(0)),
  ],
  ["unknown-worker", "owner not in the roster: an error even where policy drops invalid accounts", (o) => o.serviceAccounts.push(bot({ owner: "W9" })), error(ACCOUNTS, item(0))],
];

describe("findings from compile: code, severity and place", () => {
  it("the base organisation has none", () => {
    expect(compile(inputs(org()), AS_OF).findings).toEqual([]);
  });

  it.each(compileCases)("%s: %s", (code, _what, mutate, expected) => {
    const o = org();
    mutate(o);
    expect(only(compile(inputs(o), AS_OF).findings, code)).toEqual({ code, ...expected });
  });
});

// ---------------------------------------------------------------------------------------------
// Findings that need files: a tiny desired-state directory on disk, loaded as the CLI loads it.

const BASE_FILES: Record<string, string> = {
  "policy.yaml": "organization:\n  domain: example.com\n",
  "catalog.yaml": "scim:\n  groups:\n    all-staff: { displayName: All Staff }\n",
  "hr/source.yaml": "file: roster.csv\n",
  "hr/roster.csv": "workerId,givenName,familyName,startDate\nW1,Ada,Lovelace,2020-01-01\nW2,Grace,Hopper,2021-01-01\n",
  "roles/base.yaml": "roles:\n  - id: staff\n    description: Everyone\n    owner: W1\n    entitlements:\n      scim: { groups: [all-staff] }\n",
  "rules/base.yaml": "rules:\n  - id: birthright\n    description: Every active worker\n    when: {}\n    assign: [staff]\n",
};

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Writes the base files with `changes` applied (undefined deletes a file) and loads them. */
async function load(changes: Record<string, string | undefined>): Promise<Inputs> {
  const dir = await mkdtemp(path.join(tmpdir(), "rolecall-findings-"));
  dirs.push(dir);
  for (const [rel, text] of Object.entries({ ...BASE_FILES, ...changes })) {
    if (text === undefined) continue;
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return loadDesiredState(dir);
}

const loadCases: [string, string, Record<string, string | undefined>, Expected][] = [
  ["missing-file", "policy.yaml is missing", { "policy.yaml": undefined }, error("policy.yaml")],
  ["missing-file", "hr/source.yaml names an export that is not there", { "hr/source.yaml": "file: nope.csv\n" }, error("hr/source.yaml", 1)],
  ["yaml-syntax", "an unclosed flow sequence in a rules file", { "rules/broken.yaml": "rules:\n  - id: x\n    assign: [staff\n" }, error("rules/broken.yaml", 4)],
  [
    "schema",
    "an unknown key on the second grant",
    {
      "grants/q4.yaml":
        "grants:\n  - id: a\n    worker: W2\n    role: staff\n    reason: x\n    granted: 2026-11-01\n    expires: 2026-11-30\n" +
        "  - id: b\n    worker: W2\n    role: staff\n    reason: x\n    granted: 2026-11-01\n    expires: 2026-11-30\n    approver: W1\n",
    },
    error("grants/q4.yaml", 14),
  ],
  ["hr-unreadable", "a JSON export that is not an array", { "hr/source.yaml": "file: roster.json\n", "hr/roster.json": '{"workerId": "W1"}' }, error("hr/roster.json", 1)],
  ["hr-missing-column", "the export lacks familyName", { "hr/roster.csv": "workerId,givenName,startDate\nW1,Ada,2020-01-01\n" }, error("hr/roster.csv", 1)],
  ["hr-invalid-value", "a US-style date on the third line", { "hr/roster.csv": "workerId,givenName,familyName,startDate\nW1,Ada,Lovelace,2020-01-01\nW2,Grace,Hopper,01/02/2021\n" }, error("hr/roster.csv", 3)],
];

describe("findings from loading files: code, severity and place", () => {
  it("the base directory has none, loaded or compiled", async () => {
    const loaded = await load({});
    expect(loaded.findings).toEqual([]);
    expect(compile(loaded, AS_OF).findings).toEqual([]);
  });

  it.each(loadCases)("%s: %s", async (code, _what, changes, expected) => {
    expect(only((await load(changes)).findings, code)).toEqual({ code, ...expected });
  });

  it("a reference error points at the line of the reference", async () => {
    const rules = "rules:\n  - id: birthright\n    description: Every active worker\n    when: {}\n    assign: [staff]\n  - id: ghosts\n    description: x\n    when: { department: Finance }\n    assign: [ghost]\n";
    const findings = compile(await load({ "rules/base.yaml": rules }), AS_OF).findings;
    expect(only(findings, "unknown-role")).toEqual({ code: "unknown-role", ...error("rules/base.yaml", 9) });
  });

  it("a roster finding points at the CSV line", async () => {
    const roster = "workerId,givenName,familyName,startDate,managerId\nW1,Ada,Lovelace,2020-01-01,\nW2,Grace,Hopper,2021-01-01,W9\n";
    const findings = compile(await load({ "hr/roster.csv": roster }), AS_OF).findings;
    expect(only(findings, "unknown-manager")).toEqual({ code: "unknown-manager", ...warning("hr/roster.csv", 3) });
  });
});
