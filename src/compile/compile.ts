import type { DesiredState, Person } from "../model/desired-state.js";
import type { Finding } from "../model/finding.js";
import type { Inputs } from "../model/inputs.js";
import { WorkerAttributes } from "./attributes.js";
import { attributeNames, type Attributes } from "./conditions.js";
import { compileRules, rolesFor } from "./entitlements.js";
import { indexExclusions, withoutExcluded } from "./exclusions.js";
import { grantsInForce } from "./grants.js";
import { currentRows, emailCollisions } from "./history.js";
import { assignIdentities, ledgerFromAccounts } from "./identity.js";
import { checkIntegrity } from "./integrity.js";
import { lifecyclesOf, type LifecycleById } from "./lifecycle.js";
import { explainLosses } from "./losses.js";
import { managersWhoLeft, orgChart } from "./org-chart.js";
import { byString } from "./order.js";
import { projectTargets } from "./project.js";
import { indexRoles, roleGrantsOf } from "./roles.js";
import { serviceAccountStates } from "./service-accounts.js";
import { separationOfDutiesChecker } from "./sod.js";

/**
 * The desired state on `asOf` (YYYY-MM-DD, a day in the policy's timezone):
 * lifecycle → rules → roles → grants → separation of duties → per-target projection.
 * Pure: the same inputs and date give the same, byte-identical result.
 */
export function compile(inputs: Inputs, asOf: string): DesiredState {
  const { index: roles, findings: roleFindings } = indexRoles(inputs.roles);
  const current = currentRows(inputs.roster, asOf);
  const findings: Finding[] = [...inputs.findings, ...roleFindings, ...checkIntegrity(inputs, roles, asOf, current)];

  const rows = current.rows;
  const workers = rows.map((r) => r.value);
  // Per row, aligned with rows (looked up by index, not by worker ID, where compile walks the rows itself).
  const lifeOf = lifecyclesOf(workers, asOf, inputs.policy);
  // By worker ID through the rows' own map: a second map of 100,000 entries would serve a few hundred lookups.
  const rowOf = current.rowOf;
  const lives: LifecycleById = {
    get: (workerId) => {
      const i = rowOf.get(workerId);
      return i === undefined ? undefined : lifeOf[i];
    },
    has: (workerId) => rowOf.has(workerId),
  };
  for (const [i, { value: worker, at }] of rows.entries()) {
    if (inputs.policy.protected.includes(worker.workerId) && lifeOf[i]!.state === "leaver") {
      findings.push({ severity: "warning", code: "protected-leaver", message: `protected account ${worker.workerId} has left; it is kept, disabled`, ...at, hint: "remove it from protected in policy.yaml to let it be deleted" });
    }
  }
  const previous = inputs.previous;
  const ledger = previous?.identities ?? (previous?.accounts ? ledgerFromAccounts(previous.accounts, rows, inputs.policy) : undefined);
  const assignment = assignIdentities(current, lifeOf, inputs.policy, asOf, ledger);
  const identityOf = assignment.identities;
  const declared = lifeOf.map((life) => life.account !== "absent");
  findings.push(...assignment.findings, ...emailCollisions(rows, current.idOrder, declared, identityOf));
  const grants = grantsInForce(inputs.grants, lives, roles, inputs.policy, asOf);
  findings.push(...grants.findings);

  const rules = compileRules(inputs.rules);
  const exclusions = indexExclusions(inputs.exclusions ?? [], roles, lives);
  findings.push(...exclusions.findings);
  // Grants and exclusions by row: a few hundred people have any, and a lookup by worker ID for
  // each of 100,000 people found nothing for nearly all of them. (Both name only workers in the roster.)
  const grantsAt: (typeof grants.holding | undefined)[] = rows.map(() => undefined);
  for (const g of grants.holding) (grantsAt[rowOf.get(g.value.worker)!] ??= []).push(g);
  const excludedAt: (ReadonlySet<string> | undefined)[] = rows.map(() => undefined);
  for (const [workerId, excluded] of exclusions.index) excludedAt[rowOf.get(workerId)!] = excluded;
  const chart = orgChart(workers, lifeOf, rowOf, current.managerRow);
  findings.push(...managersWhoLeft(rows, lifeOf, chart.managerRow));
  const tested = [...new Set(inputs.rules.flatMap((r) => [...attributeNames(r.value.when)]))].sort();
  // Only the explanation of losses needs everyone's attributes as records.
  const attributesOf = previous?.holdings ? new Map<string, Attributes>() : undefined;
  const inRowOrder: Person[] = rows
    .map(({ value: worker, at }, i) => {
      const life = lifeOf[i]!;
      const identity = identityOf[i]!;
      const attributes = new WorkerAttributes(worker, chart.chains[i]!, chart.isManager[i]!);
      attributesOf?.set(worker.workerId, attributes.all());
      const seen = life.account === "absent" ? undefined : testedValues(attributes, tested);
      const held = life.entitled ? withoutExcluded(rolesFor(attributes, rules, grantsAt[i] ?? NO_GRANTS, roles), excludedAt[i]) : [];
      const givenName = worker.preferredName ?? worker.givenName;
      const { department, location, title, managerId } = worker;
      // Almost everyone has every optional field: then one literal with all the keys, in the order
      // below, holds them all in the object itself. Keys added to a smaller literal go to a
      // property store of their own, grown three at a time: 100k of them kept, and copied by
      // every scavenge until compile ends.
      if (department !== undefined && location !== undefined && title !== undefined && managerId !== undefined && seen) {
        return {
          id: worker.workerId, state: life.state, stateReason: life.reason, account: life.account, login: identity.login, email: identity.email,
          givenName, familyName: worker.familyName, displayName: `${givenName} ${worker.familyName}`, workerType: worker.workerType, startDate: worker.startDate,
          department, location, title, managerId, attributes: seen, roles: held, source: at,
        } as Person;
      }
      const person = {
        id: worker.workerId,
        state: life.state,
        stateReason: life.reason,
        account: life.account,
        login: identity.login,
        email: identity.email,
        givenName,
        familyName: worker.familyName,
        displayName: `${givenName} ${worker.familyName}`,
        workerType: worker.workerType,
        startDate: worker.startDate,
      } as Person;
      // Set one by one, in this order, rather than spread from filtered entries: the same keys in the same order, without three arrays per person.
      if (department !== undefined) person.department = department;
      if (location !== undefined) person.location = location;
      if (title !== undefined) person.title = title;
      if (managerId !== undefined) person.managerId = managerId;
      if (seen) person.attributes = seen;
      person.roles = held;
      person.source = at;
      return person;
    });
  const people = current.idOrder.map((i) => inRowOrder[i]!);
  const separationOfDuties = separationOfDutiesChecker(inputs.policy, grants.holding);
  for (const person of people) findings.push(...separationOfDuties(person));

  const serviceAccounts = serviceAccountStates(inputs.serviceAccounts, lives, roles, inputs.policy, asOf);
  findings.push(...serviceAccounts.findings);

  const targets = projectTargets(people, serviceAccounts.states, roles, inputs.catalog, inputs.policy);
  const roleGrants = roleGrantsOf(roles);
  const losses = previous?.holdings
    ? explainLosses({ previous, targets, people, lives, serviceAccounts: serviceAccounts.states, rules, roleGrants, grants: inputs.grants, holding: new Set(grants.holding.map((g) => g.value.id)), attributes: attributesOf!, asOf })
    : [];
  return {
    asOf,
    inputs: inputs.files,
    people,
    serviceAccounts: serviceAccounts.states.sort(byString((s) => s.id)),
    targets,
    identities: assignment.ledger,
    roleGrants,
    losses,
    findings,
  };
}

const NO_GRANTS: readonly never[] = [];

/**
 * The values of the attributes some rule tests; absent ones and empty chains are left out. A
 * chain is the org chart's own array, shared by a manager's reports (as role lists are shared):
 * never to be changed.
 */
function testedValues(attributes: WorkerAttributes, tested: readonly string[]): Record<string, string | boolean | string[]> {
  const values: Record<string, string | boolean | string[]> = {};
  for (const name of tested) {
    const value = attributes.value(name);
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    values[name] = value as string | boolean | string[];
  }
  return values;
}
