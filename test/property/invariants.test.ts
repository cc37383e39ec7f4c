/**
 * Property tests over generated rosters and policies (issue 3, "Tests"): the invariants every
 * compiled desired state must keep, whatever the organisation looks like.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile/compile.js";
import { addDays } from "../../src/compile/dates.js";
import { CatalogSchema } from "../../src/model/catalog.js";
import { DesiredStateSchema, type DesiredState, type Person } from "../../src/model/desired-state.js";
import type { Inputs } from "../../src/model/inputs.js";
import { WorkerSchema, type Worker } from "../../src/model/person.js";
import { PolicySchema } from "../../src/model/policy.js";
import { RoleSchema } from "../../src/model/role.js";
import { RuleSchema, type Condition } from "../../src/model/rule.js";
import { AS_OF, ROSTER_FILE, conditionArb, inputsArb, newcomerArb } from "./arbitraries.js";

const RUNS = { numRuns: 100 };

// ---------------------------------------------------------------------------------------------
// An evaluator written independently of src/compile/conditions.ts: a plain boolean reading of
// the condition language as DESIGN.md describes it.

type Attrs = Record<string, string | boolean | string[] | undefined>;

function attributesOf(worker: Worker, roster: readonly Worker[]): Attrs {
  const byId = new Map(roster.map((w) => [w.workerId, w]));
  const chain: string[] = [];
  const seen = new Set<string>([worker.workerId]);
  for (let m = worker.managerId; m !== undefined && !seen.has(m); m = byId.get(m)?.managerId) {
    seen.add(m);
    chain.push(m);
  }
  // A report who has left makes nobody a manager.
  const left = (w: Worker) => w.status === "terminated" || (w.endDate !== undefined && w.endDate < AS_OF);
  return { ...worker, reportsTo: chain, isManager: roster.some((w) => w.managerId === worker.workerId && !left(w)) };
}

function satisfies(condition: Condition, attrs: Attrs): boolean {
  const keys = Object.keys(condition);
  const c = condition as Record<string, unknown>;
  if (keys.length === 1 && keys[0] === "all") return (c.all as Condition[]).every((part) => satisfies(part, attrs));
  if (keys.length === 1 && keys[0] === "any") return (c.any as Condition[]).some((part) => satisfies(part, attrs));
  if (keys.length === 1 && keys[0] === "not") return !satisfies(c.not as Condition, attrs);
  return Object.entries(condition as Record<string, string | boolean | string[]>).every(([attribute, expected]) => {
    const actual = attrs[attribute];
    const options: (string | boolean)[] = Array.isArray(expected) ? expected : [expected];
    if (actual === undefined) return false;
    if (Array.isArray(actual)) return actual.some((v) => options.includes(v));
    return options.includes(actual);
  });
}

/** Whether a person in this state may hold entitlements at all, per DESIGN.md's lifecycle. */
const entitledState = (person: Person, inputs: Inputs) =>
  person.state === "active" || (person.state === "leave" && inputs.policy.lifecycle.onLeave === "keep-entitlements");

// ---------------------------------------------------------------------------------------------
// Helpers

const groupsOf = (desired: DesiredState, key: string) =>
  (desired.targets.scim?.groups ?? []).filter((g) => g.members.some((m) => m.user === key)).map((g) => g.key);

/** The output with everything that names a roster line removed: a reordered export moves lines. */
function withoutLines(desired: DesiredState) {
  return {
    ...desired,
    people: desired.people.map(({ source, ...rest }) => ({ ...rest, source: { file: source.file } })),
    findings: desired.findings.map(({ line: _line, ...rest }) => rest),
  };
}

const sortedJson = (items: unknown[]) => items.map((i) => JSON.stringify(i)).sort();

// ---------------------------------------------------------------------------------------------

describe("compiled desired state: properties over generated organisations", () => {
  it("no leaver holds an entitlement (no role, no group membership, no enabled account)", () => {
    fc.assert(
      fc.property(inputsArb(), (inputs) => {
        const desired = compile(inputs, AS_OF);
        for (const person of desired.people.filter((p) => p.state === "leaver")) {
          expect(person.roles).toEqual([]);
          expect(person.account).not.toBe("enabled");
          expect(groupsOf(desired, person.id)).toEqual([]);
          expect(desired.targets.scim?.users.find((u) => u.key === person.id)?.active ?? false).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it("a pre-hire holds no entitlement and is never enabled", () => {
    fc.assert(
      fc.property(inputsArb(), (inputs) => {
        const desired = compile(inputs, AS_OF);
        for (const person of desired.people.filter((p) => p.state === "prehire")) {
          expect(person.roles).toEqual([]);
          expect(person.account).not.toBe("enabled");
          expect(groupsOf(desired, person.id)).toEqual([]);
          expect(desired.targets.scim?.users.find((u) => u.key === person.id)?.active ?? false).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it("only active people are enabled; leave follows the policy; the SCIM users are exactly the declared identities", () => {
    fc.assert(
      fc.property(inputsArb(), (inputs) => {
        const desired = compile(inputs, AS_OF);
        for (const person of desired.people) {
          expect(person.account === "enabled").toBe(person.state === "active");
          if (!entitledState(person, inputs)) expect(person.roles).toEqual([]);
        }
        const scim = desired.targets.scim!;
        const expected = [
          ...desired.people.filter((p) => p.account !== "absent").map((p) => [p.id, p.account === "enabled"]),
          ...desired.serviceAccounts.filter((s) => s.declared).map((s) => [`${inputs.policy.serviceAccounts.loginPrefix}${s.id}`, true]),
        ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
        expect(scim.users.map((u) => [u.key, u.active])).toEqual(expected);
      }),
      RUNS,
    );
  });

  it("no person outside a rule's condition holds what only that rule grants (and everyone inside does)", () => {
    const withSoleRule = inputsArb().chain((inputs) =>
      fc.tuple(fc.constant(inputs), conditionArb(inputs.roster.map((r) => r.value.workerId), 3)),
    );
    let checkedHolders = 0;
    fc.assert(
      fc.property(withSoleRule, ([generated, when]) => {
        // A role and group that exactly one rule hands out: no other rule, no include, no grant.
        const inputs: Inputs = {
          ...generated,
          catalog: CatalogSchema.parse({ scim: { groups: { ...generated.catalog.scim?.groups, "sole-group": { displayName: "Sole" } } } }),
          roles: [...generated.roles, { value: RoleSchema.parse({ id: "sole-role", description: "only one rule gives it", owner: generated.roster[0]!.value.workerId, entitlements: { scim: { groups: ["sole-group"] } } }), at: { file: "roles/sole.yaml", line: 2 } }],
          rules: [...generated.rules, { value: RuleSchema.parse({ id: "sole-rule", description: "the only source of sole-role", when, assign: ["sole-role"] }), at: { file: "rules/sole.yaml", line: 2 } }],
        };
        const desired = compile(inputs, AS_OF);
        const workers = inputs.roster.map((r) => r.value);
        const attrs = new Map(workers.map((w) => [w.workerId, attributesOf(w, workers)]));

        // Roles that exactly one rule assigns, that no role includes and no grant or service account names.
        const sole = new Map<string, Condition>([["sole-role", when]]);
        for (const { value: role } of generated.roles) {
          const rules = generated.rules.filter((r) => r.value.assign.includes(role.id));
          const included = generated.roles.some((r) => r.value.includes.includes(role.id));
          const granted = generated.grants.some((g) => g.value.role === role.id);
          if (rules.length === 1 && !included && !granted) sole.set(role.id, rules[0]!.value.when);
        }

        for (const person of desired.people) {
          const a = attrs.get(person.id)!;
          for (const [roleId, condition] of sole) {
            const held = person.roles.find((r) => r.role === roleId);
            const inside = satisfies(condition, a);
            if (held) {
              checkedHolders++;
              expect(inside, `${person.id} holds ${roleId} outside its rule's condition`).toBe(true);
              expect(entitledState(person, inputs)).toBe(true);
              // The reason's matched values are the person's own attribute values.
              for (const reason of held.reasons) {
                expect(reason.kind).toBe("rule");
                if (reason.kind !== "rule") continue;
                for (const [attribute, value] of Object.entries(reason.matched)) {
                  const actual = a[attribute];
                  expect(Array.isArray(actual) ? actual.includes(value as string) : actual === value, `${person.id}: ${attribute}=${String(value)}`).toBe(true);
                }
              }
            } else if (entitledState(person, inputs)) {
              expect(inside, `${person.id} satisfies the rule for ${roleId} but does not hold it`).toBe(false);
            }
          }
          // The sole group follows the sole role exactly.
          const inGroup = groupsOf(desired, person.id).includes("sole-group");
          expect(inGroup).toBe(person.account !== "absent" && person.roles.some((r) => r.role === "sole-role"));
        }
      }),
      RUNS,
    );
    expect(checkedHolders).toBeGreaterThan(0);
  });

  it("a rule is a reason for exactly the entitled people its condition holds for, with every role it assigns", () => {
    fc.assert(
      fc.property(inputsArb(), (inputs) => {
        const desired = compile(inputs, AS_OF);
        const workers = inputs.roster.map((r) => r.value);
        const roleIds = new Set(inputs.roles.map((r) => r.value.id));
        for (const person of desired.people) {
          const a = attributesOf(workers.find((w) => w.workerId === person.id)!, workers);
          for (const { value: rule } of inputs.rules) {
            const inside = entitledState(person, inputs) && satisfies(rule.when, a);
            for (const roleId of rule.assign.filter((r) => roleIds.has(r))) {
              const because = person.roles.find((h) => h.role === roleId)?.reasons.some((r) => r.kind === "rule" && r.rule === rule.id) ?? false;
              expect(because, `${person.id} / ${rule.id} → ${roleId}`).toBe(inside);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it("is deterministic and does not mutate its inputs", () => {
    fc.assert(
      fc.property(inputsArb(), (inputs) => {
        const before = JSON.stringify(inputs);
        const first = JSON.stringify(compile(inputs, AS_OF));
        expect(JSON.stringify(inputs)).toBe(before);
        expect(JSON.stringify(compile(structuredClone(inputs), AS_OF))).toBe(first);
      }),
      RUNS,
    );
  });

  it("is independent of the roster's row order (up to the line numbers the rows move to)", () => {
    const shuffled = inputsArb().chain((inputs) =>
      fc.tuple(fc.constant(inputs), fc.shuffledSubarray(inputs.roster, { minLength: inputs.roster.length, maxLength: inputs.roster.length })),
    );
    fc.assert(
      fc.property(shuffled, ([inputs, rows]) => {
        const reordered: Inputs = { ...inputs, roster: rows.map((r, i) => ({ value: r.value, at: { file: ROSTER_FILE, line: i + 2 } })) };
        const a = withoutLines(compile(inputs, AS_OF));
        const b = withoutLines(compile(reordered, AS_OF));
        // Findings are reported in file order, like a compiler's, so only their set must agree.
        expect(sortedJson(b.findings)).toEqual(sortedJson(a.findings));
        expect(JSON.stringify({ ...b, findings: [] })).toBe(JSON.stringify({ ...a, findings: [] }));
      }),
      RUNS,
    );
  });

  it("adding a person who starts after everyone else never changes anyone else's login or email", () => {
    const withNewcomer = inputsArb().chain((inputs) => {
      const latest = inputs.roster.map((r) => r.value.startDate).sort().at(-1)!;
      const taken = new Set(inputs.roster.map((r) => r.value.workerId));
      return fc.tuple(
        fc.constant(inputs),
        fc.integer({ min: 1, max: 60 }).chain((days) => newcomerArb(taken, addDays(latest, days))),
        fc.nat(),
      );
    });
    fc.assert(
      fc.property(withNewcomer, ([inputs, newcomer, position]) => {
        const roster = [...inputs.roster];
        roster.splice(position % (roster.length + 1), 0, { value: newcomer, at: { file: ROSTER_FILE, line: 999 } });
        const before = compile(inputs, AS_OF);
        const after = compile({ ...inputs, roster }, AS_OF);
        // Whoever holds an identity (a row that ended before it was ever provisioned claims none).
        for (const person of before.people.filter((p) => p.id in before.identities.assigned)) {
          const now = after.people.find((p) => p.id === person.id)!;
          expect({ id: now.id, login: now.login, email: now.email }).toEqual({ id: person.id, login: person.login, email: person.email });
        }
      }),
      RUNS,
    );
  });

  describe("logins are unique (or the clash is an error finding)", () => {
    // A family name that ends in a digit renders to a base login ("ada.king2") that equals the
    // suffixed login of a second "Ada King". With HR emails in use nothing else notices.
    const ada = (workerId: string, familyName: string, startDate: string) =>
      ({ value: WorkerSchema.parse({ workerId, givenName: "Ada", familyName, startDate, email: `${workerId.toLowerCase()}@hr.example.org` }), at: { file: ROSTER_FILE, line: 2 } });
    const only = (roster: Inputs["roster"], policy = PolicySchema.parse({ organization: { domain: "example.com" } })): Inputs =>
      ({ policy, catalog: {}, roster, roles: [], rules: [], grants: [], serviceAccounts: [], files: [], findings: [] });
    const clashUnreported = (desired: DesiredState) => {
      const logins = desired.people.map((p) => p.login);
      const clash = logins.some((l, i) => logins.indexOf(l) !== i);
      return clash && !desired.findings.some((f) => f.severity === "error" && /login|email/.test(f.code));
    };

    it("Ada King2, Ada King, Ada King: the third does not get the first one's login", () => {
      const desired = compile(only([ada("W1", "King2", "2020-01-01"), ada("W2", "King", "2021-01-01"), ada("W3", "King", "2022-01-01")]), AS_OF);
      expect(clashUnreported(desired), JSON.stringify(desired.people.map((p) => [p.id, p.login]))).toBe(false);
    });

    it("over generated rosters of namesakes", () => {
      const namesakes = fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: 2, maxLength: 8 }).chain((ns) =>
        fc.tuple(...ns.map((n) => fc.tuple(fc.constantFrom("King", "King2", "King3"), fc.integer({ min: -900, max: 0 })).map(([family, offset]) => ada(`W${n}`, family, addDays(AS_OF, offset))))),
      );
      fc.assert(
        fc.property(namesakes, fc.boolean(), (roster, useHrEmail) => {
          const policy = PolicySchema.parse({ organization: { domain: "example.com" }, identity: { useHrEmail } });
          expect(clashUnreported(compile(only(roster, policy), AS_OF))).toBe(false);
        }),
        RUNS,
      );
    });
  });

  it("every held role has a reason, and every reason is sound", () => {
    fc.assert(
      fc.property(inputsArb(), (inputs) => {
        const desired = compile(inputs, AS_OF);
        const roles = new Map(inputs.roles.map((r) => [r.value.id, r.value]));
        const rules = new Map(inputs.rules.map((r) => [r.value.id, r.value]));
        const grants = new Map(inputs.grants.map((g) => [g.value.id, g.value]));
        for (const holder of [...desired.people, ...desired.serviceAccounts]) {
          const held = new Map(holder.roles.map((r) => [r.role, r]));
          for (const { role, reasons } of holder.roles) {
            expect(reasons.length, `${holder.id} holds ${role} without a reason`).toBeGreaterThan(0);
            for (const reason of reasons) {
              switch (reason.kind) {
                case "rule":
                  expect(rules.get(reason.rule)?.assign).toContain(role);
                  break;
                case "include": {
                  // Outermost first: the last role in the chain includes this one; the first is held in its own right.
                  expect(roles.get(reason.via.at(-1)!)?.includes).toContain(role);
                  reason.via.slice(1).forEach((r, i) => expect(roles.get(reason.via[i]!)?.includes).toContain(r));
                  expect(held.get(reason.via[0]!)?.reasons.some((r) => r.kind !== "include")).toBe(true);
                  break;
                }
                case "grant": {
                  const grant = grants.get(reason.grant)!;
                  expect(grant.role).toBe(role);
                  expect(grant.worker).toBe(holder.id);
                  expect(grant.granted <= AS_OF && AS_OF <= grant.expires).toBe(true);
                  break;
                }
                case "service-account":
                  expect(reason.serviceAccount).toBe(holder.id);
                  break;
              }
            }
          }
        }
      }),
      RUNS,
    );
  });

  it("every SCIM group member is a declared user holding a role that grants that group", () => {
    fc.assert(
      fc.property(inputsArb(), (inputs) => {
        const desired = compile(inputs, AS_OF);
        const scim = desired.targets.scim!;
        const users = new Set(scim.users.map((u) => u.key));
        const roles = new Map(inputs.roles.map((r) => [r.value.id, r.value]));
        const holders = new Map<string, { roles: { role: string }[] }>([
          ...desired.people.map((p) => [p.id, p] as const),
          ...desired.serviceAccounts.map((s) => [`${inputs.policy.serviceAccounts.loginPrefix}${s.id}`, s] as const),
        ]);
        expect(scim.groups.map((g) => g.key)).toEqual(Object.keys(inputs.catalog.scim?.groups ?? {}).sort());
        for (const group of scim.groups) {
          for (const member of group.members) {
            expect(users.has(member.user), `${member.user} in ${group.key} is not a declared user`).toBe(true);
            expect(member.because.length).toBeGreaterThan(0);
            for (const role of member.because) {
              expect(roles.get(role)?.entitlements.scim?.groups).toContain(group.key);
              expect(holders.get(member.user)?.roles.map((r) => r.role)).toContain(role);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it("whoever holds a conflicting set of roles is named in a separation-of-duties finding", () => {
    fc.assert(
      fc.property(inputsArb(), (inputs) => {
        const desired = compile(inputs, AS_OF);
        for (const conflict of inputs.policy.separationOfDuties) {
          for (const person of desired.people.filter((p) => conflict.roles.every((r) => p.roles.some((h) => h.role === r)))) {
            const named = new RegExp(`(^|[^A-Za-z0-9])${person.id}([^A-Za-z0-9]|$)`);
            const finding = desired.findings.find((f) => (f.code === "sod-conflict" || f.code === "sod-exception") && named.test(f.message));
            expect(finding, `${person.id} holds ${conflict.roles.join(" + ")}`).toBeDefined();
            if (finding?.code === "sod-conflict") expect(finding).toMatchObject({ severity: "error", file: ROSTER_FILE, line: person.source.line });
          }
        }
      }),
      RUNS,
    );
  });

  it("produces output that matches the DesiredState schema", () => {
    fc.assert(
      fc.property(inputsArb({ maxWorkers: 20 }), (inputs) => {
        const desired = compile(inputs, AS_OF);
        expect(DesiredStateSchema.safeParse(desired).success).toBe(true);
        expect(desired.people.map((p) => p.id)).toEqual(inputs.roster.map((r) => r.value.workerId).sort());
      }),
      { numRuns: 50 },
    );
  });
});
