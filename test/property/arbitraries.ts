/**
 * fast-check arbitraries for compile's `Inputs`, built in memory (no files) and parsed through
 * the model's zod schemas so every default applies exactly as it does after loading.
 *
 * Everything is generated around a fixed as-of date so that pre-hires, actives, people on
 * leave, leavers in and past their grace all appear.
 */
import fc from "fast-check";
import { addDays } from "../../src/compile/dates.js";
import { CatalogSchema, type Catalog } from "../../src/model/catalog.js";
import { GrantSchema, type Grant } from "../../src/model/grant.js";
import type { Inputs } from "../../src/model/inputs.js";
import { WorkerSchema, type Located, type Worker } from "../../src/model/person.js";
import { PolicySchema, type Policy } from "../../src/model/policy.js";
import { RoleSchema, type Role } from "../../src/model/role.js";
import { RuleSchema, type Condition, type Rule } from "../../src/model/rule.js";
import { ServiceAccountSchema, type ServiceAccount } from "../../src/model/service-account.js";

export const AS_OF = "2026-11-25";
export const ROSTER_FILE = "hr/roster.csv";

/** Given names: unicode, hyphens, apostrophes, CJK, and repeats so logins collide. */
export const GIVEN_NAMES = ["Ada", "Ada", "José", "Jose", "Zoë", "Anne-Marie", "Łukasz", "Søren", "Chloé", "李", "Ngozi", "O'Neil", "Björn", "Ada"] as const;
/** Family names: "Müller" and "Muller" collide after transliteration, "King" is common on purpose. */
export const FAMILY_NAMES = ["King", "King", "Müller", "Muller", "Yılmaz", "O'Brien", "Dubois", "Nguyễn", "Ivanov", "García", "王"] as const;
export const PREFERRED_NAMES = ["Al", "Jo", "Zoe", "Ada"] as const;
export const DEPARTMENTS = ["Engineering", "Finance", "Sales", "People"] as const;
export const LOCATIONS = ["Berlin", "London", "São Paulo"] as const;
export const TITLES = ["Engineer", "Manager", "Analyst"] as const;
export const COST_CENTERS = ["CC-100", "CC-200"] as const;

/** The id of the separation-of-duties conflict inputsArb may add to the policy. */
export const SOD_CONFLICT_ID = "toxic-pair";

const at = (file: string, line: number) => ({ file, line });

// ---------------------------------------------------------------------------------------------
// Roster

/** A worker's fields before the manager is chosen (the manager depends on the others). */
interface Draft {
  givenName: string;
  familyName: string;
  preferredName: string | undefined;
  hrEmail: boolean;
  department: string | undefined;
  location: string | undefined;
  title: string | undefined;
  costCenter: string | undefined;
  workerType: "employee" | "contractor" | "intern" | undefined;
  status: "active" | "leave" | "terminated" | undefined;
  startOffset: number;
  endAfterStart: number | undefined;
  /** Index into the earlier drafts (mod their count), or undefined for a top of the forest. */
  managerPick: number | undefined;
}

/** `undefined` or a value, weighted `absent : present`. */
const optional = <T>(arb: fc.Arbitrary<T>, absent = 1, present = 2): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: absent, arbitrary: fc.constant(undefined) }, { weight: present, arbitrary: arb });

const draftArb: fc.Arbitrary<Draft> = fc.record({
  givenName: fc.constantFrom(...GIVEN_NAMES),
  familyName: fc.constantFrom(...FAMILY_NAMES),
  preferredName: optional(fc.constantFrom(...PREFERRED_NAMES), 3, 1),
  hrEmail: fc.boolean(),
  department: optional(fc.constantFrom(...DEPARTMENTS), 1, 5),
  location: optional(fc.constantFrom(...LOCATIONS), 1, 5),
  title: optional(fc.constantFrom(...TITLES)),
  costCenter: optional(fc.constantFrom(...COST_CENTERS)),
  workerType: optional(fc.constantFrom("employee" as const, "contractor" as const, "intern" as const)),
  status: optional(fc.constantFrom("active" as const, "active" as const, "leave" as const, "terminated" as const)),
  // Start from ~2 years before the as-of date to a month after it (pre-hires in and beyond the window).
  startOffset: fc.integer({ min: -800, max: 30 }),
  // End from the start day to ~2.5 years later: passed, today, or in the future.
  endAfterStart: optional(fc.integer({ min: 0, max: 900 }), 1, 1),
  managerPick: optional(fc.nat(), 1, 3),
});

/** Worker IDs: unique, not in row order, sometimes of different lengths ("W7" and "W0007" both occur). */
const workerIdsArb = (min: number, max: number) =>
  fc
    .integer({ min, max })
    .chain((n) => fc.uniqueArray(fc.integer({ min: 1, max: 99_999 }), { minLength: n, maxLength: n }))
    .map((ns) => ns.map((n) => `W${n}`));

function toWorker(id: string, draft: Draft, manager: string | undefined): Worker {
  const startDate = addDays(AS_OF, draft.startOffset);
  return WorkerSchema.parse({
    workerId: id,
    givenName: draft.givenName,
    familyName: draft.familyName,
    preferredName: draft.preferredName,
    email: draft.hrEmail ? `${id.toLowerCase()}@hr.example.org` : undefined,
    department: draft.department,
    costCenter: draft.costCenter,
    location: draft.location,
    title: draft.title,
    managerId: manager,
    workerType: draft.workerType,
    status: draft.status,
    startDate,
    endDate: draft.endAfterStart === undefined ? undefined : addDays(startDate, draft.endAfterStart),
  });
}

/**
 * A roster of `min`–`max` workers: unique worker IDs, managers forming a forest (each worker's
 * manager is generated before them, so there is no cycle), rows in a shuffled order.
 */
export const rosterArb = (min = 1, max = 60): fc.Arbitrary<Located<Worker>[]> =>
  workerIdsArb(min, max)
    .chain((ids) => fc.tuple(fc.constant(ids), fc.array(draftArb, { minLength: ids.length, maxLength: ids.length })))
    .map(([ids, drafts]) =>
      ids.map((id, i) => toWorker(id, drafts[i]!, i > 0 && drafts[i]!.managerPick !== undefined ? ids[drafts[i]!.managerPick! % i] : undefined)),
    )
    .chain((workers) => fc.shuffledSubarray(workers, { minLength: workers.length, maxLength: workers.length }))
    .map((workers) => workers.map((w, i) => ({ value: w, at: at(ROSTER_FILE, i + 2) })));

/** One more worker for an existing roster: a fresh ID, names from the same (colliding) pools. */
export const newcomerArb = (taken: ReadonlySet<string>, startDate: string): fc.Arbitrary<Worker> =>
  fc
    .tuple(fc.integer({ min: 100_000, max: 999_999 }), draftArb)
    .filter(([n]) => !taken.has(`W${n}`))
    .map(([n, draft]) => ({ ...toWorker(`W${n}`, { ...draft, endAfterStart: undefined }, undefined), startDate }));

// ---------------------------------------------------------------------------------------------
// Policy, catalog, roles

export const policyArb: fc.Arbitrary<Policy> = fc
  .record({
    loginTemplate: fc.constantFrom("{given}.{family}", "{preferred}.{family}", "{given}{family}", "{family}"),
    useHrEmail: fc.boolean(),
    preHireDays: fc.integer({ min: 0, max: 14 }),
    leaverGraceDays: fc.integer({ min: 0, max: 10 }),
    onLeave: fc.constantFrom("suspend" as const, "keep-entitlements" as const),
    contractorsNeedEndDate: fc.boolean(),
    onInvalid: fc.constantFrom("drop" as const, "fail" as const),
  })
  .map((p) =>
    PolicySchema.parse({
      organization: { domain: "example.com", timezone: "Europe/Berlin" },
      identity: { loginTemplate: p.loginTemplate, useHrEmail: p.useHrEmail },
      lifecycle: { preHireDays: p.preHireDays, leaverGraceDays: p.leaverGraceDays, onLeave: p.onLeave, contractorsNeedEndDate: p.contractorsNeedEndDate },
      serviceAccounts: { onInvalid: p.onInvalid },
    }),
  );

export const GROUP_KEYS = ["all-staff", "engineering", "finance", "sales", "managers", "admins"] as const;

export const catalogArb: fc.Arbitrary<Catalog> = fc
  .subarray([...GROUP_KEYS], { minLength: 1 })
  .map((keys) => CatalogSchema.parse({ scim: { groups: Object.fromEntries(keys.map((k) => [k, { displayName: k.toUpperCase() }])) } }));

/**
 * Roles `role-0`…: role i may include only roles with a lower index, so includes are acyclic.
 * Entitlements reference catalog keys (sometimes one the catalog lacks: a finding, not a crash).
 */
export const rolesArb = (owners: readonly string[], count: { min: number; max: number } = { min: 1, max: 8 }): fc.Arbitrary<Located<Role>[]> =>
  fc.integer(count).chain((n) =>
    fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc
          .record({
            includes: i === 0 ? fc.constant<number[]>([]) : fc.uniqueArray(fc.integer({ min: 0, max: i - 1 }), { maxLength: 2 }),
            privileged: fc.boolean(),
            groups: fc.subarray([...GROUP_KEYS], { maxLength: 3 }),
            owner: fc.constantFrom(...owners),
          })
          .map(({ includes, privileged, groups, owner }) => ({
            value: RoleSchema.parse({
              id: `role-${i}`,
              description: `generated role ${i}`,
              owner,
              includes: includes.map((j) => `role-${j}`),
              privileged,
              entitlements: { scim: { groups } },
            }),
            at: at("roles/generated.yaml", 2 + i * 6),
          })),
      ),
    ),
  );

// ---------------------------------------------------------------------------------------------
// Rules

/** A leaf condition: equality, any-of, multi-entry mapping, reportsTo, isManager, or birthright `{}`. */
const leafArb = (workerIds: readonly string[]): fc.Arbitrary<Condition> =>
  fc.oneof(
    fc.constantFrom(...DEPARTMENTS).map((department) => ({ department })),
    fc.constantFrom(...LOCATIONS).map((location) => ({ location })),
    fc.constantFrom("employee", "contractor", "intern").map((workerType) => ({ workerType })),
    fc.constantFrom("active", "leave").map((status) => ({ status })),
    fc.constantFrom(...TITLES).map((title) => ({ title })),
    fc.subarray([...DEPARTMENTS], { minLength: 1 }).map((department) => ({ department })),
    fc.subarray([...LOCATIONS], { minLength: 1 }).map((location) => ({ location })),
    fc.record({ department: fc.constantFrom(...DEPARTMENTS), location: fc.constantFrom(...LOCATIONS) }),
    fc.constantFrom(...workerIds).map((reportsTo) => ({ reportsTo })),
    fc.subarray([...workerIds], { minLength: 1, maxLength: Math.min(3, workerIds.length) }).map((reportsTo) => ({ reportsTo })),
    fc.boolean().map((isManager) => ({ isManager })),
    fc.constant({}),
  );

/** Conditions nested up to `depth` levels of all/any/not. */
export const conditionArb = (workerIds: readonly string[], depth = 2): fc.Arbitrary<Condition> =>
  depth === 0
    ? leafArb(workerIds)
    : fc.oneof(
        { weight: 3, arbitrary: leafArb(workerIds) },
        { weight: 1, arbitrary: fc.array(conditionArb(workerIds, depth - 1), { minLength: 1, maxLength: 3 }).map((all) => ({ all })) },
        { weight: 1, arbitrary: fc.array(conditionArb(workerIds, depth - 1), { minLength: 1, maxLength: 3 }).map((any) => ({ any })) },
        { weight: 1, arbitrary: conditionArb(workerIds, depth - 1).map((not) => ({ not })) },
      );

export const rulesArb = (workerIds: readonly string[], roleIds: readonly string[]): fc.Arbitrary<Located<Rule>[]> =>
  fc
    .array(fc.record({ when: conditionArb(workerIds), assign: fc.subarray([...roleIds], { minLength: 1, maxLength: Math.min(2, roleIds.length) }) }), { maxLength: 8 })
    .map((drafts) =>
      drafts.map(({ when, assign }, i) => ({
        value: RuleSchema.parse({ id: `rule-${i}`, description: `generated rule ${i}`, when, assign }),
        at: at("rules/generated.yaml", 2 + i * 5),
      })),
    );

// ---------------------------------------------------------------------------------------------
// Grants and service accounts

export const grantsArb = (workerIds: readonly string[], roleIds: readonly string[]): fc.Arbitrary<Located<Grant>[]> =>
  fc
    .array(
      fc.record({
        worker: fc.constantFrom(...workerIds),
        role: fc.constantFrom(...roleIds),
        grantedOffset: fc.integer({ min: -120, max: 10 }),
        days: fc.integer({ min: 0, max: 100 }),
        ticket: optional(fc.constantFrom("IAM-1", "IAM-2")),
        approvedBy: optional(fc.constantFrom(...workerIds)),
        sodException: fc.boolean(),
      }),
      { maxLength: 4 },
    )
    .map((drafts) =>
      drafts.map((g, i) => {
        const granted = addDays(AS_OF, g.grantedOffset);
        return {
          value: GrantSchema.parse({
            id: `grant-${i}`,
            worker: g.worker,
            role: g.role,
            reason: "generated",
            ticket: g.ticket,
            approvedBy: g.approvedBy,
            granted,
            expires: addDays(granted, g.days),
            sodExceptions: g.sodException ? [SOD_CONFLICT_ID] : undefined,
          }),
          at: at("grants/generated.yaml", 2 + i * 8),
        };
      }),
    );

export const serviceAccountsArb = (workerIds: readonly string[], roleIds: readonly string[]): fc.Arbitrary<Located<ServiceAccount>[]> =>
  fc
    .array(
      fc.record({
        owner: fc.constantFrom(...workerIds),
        expiresOffset: fc.integer({ min: -30, max: 365 }),
        roles: fc.subarray([...roleIds], { maxLength: Math.min(2, roleIds.length) }),
      }),
      { maxLength: 3 },
    )
    .map((drafts) =>
      drafts.map((s, i) => ({
        value: ServiceAccountSchema.parse({ id: `bot-${i}`, owner: s.owner, purpose: "generated", expires: addDays(AS_OF, s.expiresOffset), roles: s.roles }),
        at: at("service-accounts/generated.yaml", 2 + i * 6),
      })),
    );

// ---------------------------------------------------------------------------------------------
// Everything together

export interface InputsOptions {
  minWorkers?: number;
  maxWorkers?: number;
}

/** A complete, schema-valid `Inputs`, with a separation-of-duties conflict when there are two roles or more. */
export const inputsArb = (options: InputsOptions = {}): fc.Arbitrary<Inputs> =>
  fc
    .tuple(rosterArb(options.minWorkers ?? 1, options.maxWorkers ?? 60), policyArb, catalogArb)
    .chain(([roster, policy, catalog]) => {
      const ids = roster.map((r) => r.value.workerId);
      return rolesArb(ids).chain((roles) => {
        const roleIds = roles.map((r) => r.value.id);
        return fc.record({
          roster: fc.constant(roster),
          policy: fc.constant(policy),
          catalog: fc.constant(catalog),
          roles: fc.constant(roles),
          rules: rulesArb(ids, roleIds),
          grants: grantsArb(ids, roleIds),
          serviceAccounts: serviceAccountsArb(ids, roleIds),
          sod: roleIds.length >= 2 ? optional(fc.subarray(roleIds, { minLength: 2, maxLength: 2 })) : fc.constant(undefined),
        });
      });
    })
    .map(({ roster, policy, catalog, roles, rules, grants, serviceAccounts, sod }) => ({
      policy: sod ? PolicySchema.parse({ ...policy, separationOfDuties: [{ id: SOD_CONFLICT_ID, roles: sod, reason: "generated conflict" }] }) : policy,
      catalog,
      roster,
      roles,
      rules,
      grants,
      serviceAccounts,
      files: [],
      findings: [],
    }));
