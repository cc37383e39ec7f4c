import { planDigest } from "../../../src/evidence/plan-model.js";
import { changingSteps } from "../../../src/evidence/steps.js";
import type { AppliedDocument, PersonChange, PlanDocument } from "../../../src/model/plan.js";

/** A name that tries to be markup in both renderers. */
export const HOSTILE_NAME = "<script>alert(1)</script> | x|y `tick` *bold* [link](http://evil.example) &amp;";

/**
 * A plan as buildPlan and the guardrails would write it, by hand: a joiner with a privileged
 * role, a mover with an approved grant, a leaver, a service account, and an identity whose
 * name is hostile markup.
 */
export function fixturePlan(): PlanDocument {
  const people: PersonChange[] = [
    {
      id: "W1001",
      kind: "person",
      displayName: "Ana Silva",
      email: "ana.silva@example.com",
      state: "active",
      stateReason: "active since 2026-02-23",
      change: "joiner",
      account: [{ target: "scim", op: "create", changed: [] }],
      gains: [
        {
          target: "scim",
          kind: "group",
          item: "developers",
          because: [{ role: "developer", privileged: false, reasons: [{ kind: "include", via: ["platform-engineer"] }] }],
        },
        {
          target: "scim",
          kind: "group",
          item: "platform-admins",
          because: [{ role: "platform-engineer", privileged: true, reasons: [{ kind: "rule", rule: "platform-team", matched: { reportsTo: "W1009" } }] }],
        },
      ],
      losses: [],
      risks: ["privileged: gains scim group platform-admins through platform-engineer"],
    },
    {
      id: "W1002",
      kind: "person",
      displayName: "Ben Okafor",
      email: "ben.okafor@example.com",
      state: "active",
      stateReason: "active",
      change: "mover",
      account: [{ target: "scim", op: "update", changed: ["department", "title"] }],
      gains: [
        {
          target: "okta",
          kind: "group",
          item: "fin-audit",
          because: [
            { role: "fin-auditor", privileged: false, reasons: [{ kind: "grant", grant: "fin-audit-support", ticket: "IAM-4711", expires: "2027-01-31" }] },
            { role: "finance", privileged: false, reasons: [{ kind: "rule", rule: "finance-dept", matched: { department: "Finance", isManager: false } }] },
          ],
        },
      ],
      losses: [{ target: "scim", kind: "group", item: "sales", because: [], lost: [{ kind: "rule", rule: "sales-dept", changed: [{ attribute: "department", from: "Sales", to: "Finance" }] }] }],
      risks: [],
    },
    {
      id: "W1004",
      kind: "person",
      displayName: HOSTILE_NAME,
      email: "odd<name>@example.com",
      state: "active",
      stateReason: "active",
      change: "updated",
      account: [{ target: "scim", op: "update", changed: ["displayName"] }],
      gains: [],
      losses: [],
      risks: [],
    },
    {
      id: "W1010",
      kind: "person",
      displayName: "Cleo Martin",
      email: "cleo.martin@example.com",
      state: "leaver",
      stateReason: "terminated on 2026-02-27 (grace 0 days)",
      change: "leaver",
      account: [{ target: "scim", op: "delete", changed: [] }],
      gains: [],
      losses: [
        { target: "scim", kind: "group", item: "developers", because: [], lost: [{ kind: "lifecycle", state: "leaver", reason: "terminated on 2026-02-27 (grace 0 days)" }] },
        { target: "okta", kind: "adminRole", item: "help-desk", because: [], lost: [{ kind: "lifecycle", state: "leaver", reason: "terminated on 2026-02-27 (grace 0 days)" }] },
      ],
      risks: [],
    },
    {
      id: "sa-ci-deployer",
      kind: "service-account",
      displayName: "CI deployer",
      email: "ci-deployer@svc.example.com",
      state: "active",
      stateReason: "declared until 2026-12-31, owner W1009",
      change: "joiner",
      account: [{ target: "scim", op: "create", changed: [] }],
      gains: [
        { target: "scim", kind: "group", item: "deployers", because: [{ role: "deployer", privileged: false, reasons: [{ kind: "service-account", serviceAccount: "ci-deployer" }] }] },
      ],
      losses: [],
      risks: [],
    },
  ];
  return {
    schemaVersion: 1,
    manifest: {
      stack: "local",
      asOf: "2026-03-02",
      createdAt: "2026-03-02T08:15:00Z",
      desiredState: "desired-state",
      inputs: [
        { path: "desired-state/hr/roster.csv", sha256: "a".repeat(64) },
        { path: "desired-state/policy.yaml", sha256: "b".repeat(64) },
        { path: "desired-state/rules/teams.yaml", sha256: "c".repeat(64) },
      ],
      git: { commit: "0123456789abcdef0123456789abcdef01234567", dirty: false },
      versions: { rolecall: "0.1.0", pulumi: "3.248.0", node: "v20.20.2" },
      ranBy: { user: "runner", host: "ci-host", ci: "github-actions" },
      override: "HR confirmed the <reorg> | ticket HR-9",
    },
    digest: "f".repeat(64),
    summary: {
      joiners: 1,
      movers: 1,
      leavers: 1,
      disabled: 0,
      enabled: 0,
      updated: 1,
      serviceAccounts: 1,
      groupChanges: 4,
      driftCorrections: 1,
      steps: { create: 2, update: 4, delete: 1, same: 37 },
    },
    people,
    groups: [
      { target: "okta", key: "group:fin-audit", op: "update", added: ["W1002"], removed: [] },
      { target: "scim", key: "group:developers", op: "update", added: ["W1001"], removed: ["W1010"] },
      { target: "scim", key: "group:deployers", op: "create", added: ["sa-ci-deployer"], removed: [] },
      { target: "scim", key: "group:odd|key<b>", op: "update", added: ["W1004"], removed: [] },
    ],
    risks: [
      { code: "privileged-grant", subject: "W1001", message: "W1001 gains privileged scim group platform-admins" },
      { code: "drift", subject: "urn:pulumi:local::rolecall::rolecall:targets:Scim$rolecall-scim:index:Group::sales", message: "scim sales differs from what was applied (displayName); the apply puts it back" },
    ],
    guardrails: [
      { name: "max-deprovision-count", limit: "5 people", actual: "1 people", verdict: "pass", message: "1 people lose their access (limit 5)" },
      {
        name: "max-deprovision-percent",
        limit: "1%",
        actual: "8.3%",
        verdict: "overridden",
        message: "8.3% of 12 people lose their access (limit 1%) — overridden: HR confirmed the <reorg> | ticket HR-9",
      },
      { name: "protected-accounts", limit: "no change", actual: "1 changed", verdict: "fail", message: "protected accounts would change: W0001; change policy.yaml's protected list first" },
    ],
    findings: [
      { severity: "info", code: "prehire", message: "W1020 starts on 2026-03-09: account declared disabled" },
      {
        severity: "warning",
        code: "grant-expired",
        message: "grant sales-temp expired on 2026-02-28 (sales for W1002)",
        file: "desired-state/grants/sales.yaml",
        line: 3,
        hint: "remove the grant or renew it with a new ticket",
      },
    ],
    steps: [
      { op: "same", urn: "urn:pulumi:local::rolecall::pulumi:pulumi:Stack::rolecall-local", type: "pulumi:pulumi:Stack", name: "rolecall-local", target: "", diffs: [] },
      { op: "create", urn: "urn:pulumi:local::rolecall::rolecall:targets:Scim$rolecall-scim:index:User::W1001", type: "rolecall-scim:index:User", name: "W1001", target: "scim", diffs: [] },
      { op: "update", urn: "urn:pulumi:local::rolecall::rolecall:targets:Scim$rolecall-scim:index:User::W1002", type: "rolecall-scim:index:User", name: "W1002", target: "scim", diffs: ["department", "title"] },
      { op: "delete", urn: "urn:pulumi:local::rolecall::rolecall:targets:Scim$rolecall-scim:index:User::W1010", type: "rolecall-scim:index:User", name: "W1010", target: "scim", diffs: [] },
    ],
  };
}

/** A plan far too large for one pull-request comment. */
export function hugePlan(count = 5000): PlanDocument {
  const base = fixturePlan();
  const template = base.people[0]!;
  const people: PersonChange[] = Array.from({ length: count }, (_, i) => ({
    ...template,
    id: `W${String(100000 + i)}`,
    displayName: `Person Number ${i} | with <a> long name`,
    email: `person.${i}@example.com`,
  }));
  return { ...base, people, summary: { ...base.summary, joiners: count, movers: 0, leavers: 0, updated: 0, serviceAccounts: 0 } };
}

/** The fixture plan as plan would write it: a digest of its own steps, no inputs to re-hash. */
export function sealedPlan(): PlanDocument {
  const plan = fixturePlan();
  plan.manifest.inputs = [];
  plan.digest = planDigest(changingSteps(plan.steps), plan.people);
  return plan;
}

/** applied.json of an apply that did every step of the plan (the fixture's times), with overrides. */
export function appliedDocument(plan: PlanDocument, over: Partial<AppliedDocument> = {}): AppliedDocument {
  return {
    schemaVersion: 1,
    planDigest: plan.digest,
    startedAt: "2026-03-02T08:16:00Z",
    finishedAt: "2026-03-02T08:17:00Z",
    result: "succeeded",
    steps: changingSteps(plan.steps).map((s) => ({ op: s.op, urn: s.urn, outcome: "done" as const })),
    ...over,
  };
}
