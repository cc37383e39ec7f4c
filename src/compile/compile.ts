import type { DesiredState, Person } from "../model/desired-state.js";
import type { Finding } from "../model/finding.js";
import type { Inputs } from "../model/inputs.js";
import type { Worker } from "../model/person.js";
import type { Attributes } from "./conditions.js";
import { compileRules, rolesFor } from "./entitlements.js";
import { grantsInForce } from "./grants.js";
import { currentRows, staleEmailCollisions } from "./history.js";
import { assignIdentities, type Identity } from "./identity.js";
import { checkIntegrity } from "./integrity.js";
import { lifecycleOf, type Lifecycle } from "./lifecycle.js";
import { byString } from "./order.js";
import { projectTargets } from "./project.js";
import { indexRoles } from "./roles.js";
import { serviceAccountStates } from "./service-accounts.js";
import { checkSeparationOfDuties } from "./sod.js";

/**
 * The desired state on `asOf` (YYYY-MM-DD, a day in the policy's timezone):
 * lifecycle → rules → roles → grants → separation of duties → per-target projection.
 * Pure: the same inputs and date give the same, byte-identical result.
 */
export function compile(inputs: Inputs, asOf: string): DesiredState {
  const { index: roles, findings: roleFindings } = indexRoles(inputs.roles);
  const findings: Finding[] = [...inputs.findings, ...roleFindings, ...checkIntegrity(inputs, roles, asOf)];

  const rows = currentRows(inputs.roster, asOf).rows;
  const workers = rows.map((r) => r.value);
  const lives = new Map<string, Lifecycle>(workers.map((w) => [w.workerId, lifecycleOf(w, asOf, inputs.policy)]));
  for (const { value: worker, at } of rows) {
    if (inputs.policy.protected.includes(worker.workerId) && lives.get(worker.workerId)!.state === "leaver") {
      findings.push({ severity: "warning", code: "protected-leaver", message: `protected account ${worker.workerId} has left; it is kept, disabled`, ...at, hint: "remove it from protected in policy.yaml to let it be deleted" });
    }
  }
  const identities = assignIdentities(workers, inputs.policy);
  const declared = (id: string) => lives.get(id)!.account !== "absent";
  findings.push(...emailCollisions(rows.filter((r) => declared(r.value.workerId)), identities));
  findings.push(...staleEmailCollisions(rows, declared, (id) => identities.get(id)!.email));
  const grants = grantsInForce(inputs.grants, lives, roles, inputs.policy, asOf);
  findings.push(...grants.findings);

  const rules = compileRules(inputs.rules);
  const grantsOf = new Map<string, typeof grants.holding>();
  for (const g of grants.holding) grantsOf.set(g.value.worker, [...(grantsOf.get(g.value.worker) ?? []), g]);
  const managers = managerChains(workers);
  const reports = new Set(workers.map((w) => w.managerId).filter((m): m is string => m !== undefined));
  const people: Person[] = rows
    .map(({ value: worker, at }) => {
      const life = lives.get(worker.workerId)!;
      const identity = identities.get(worker.workerId)!;
      const attributes: Attributes = { ...worker, reportsTo: managers.get(worker.workerId) ?? [], isManager: reports.has(worker.workerId) };
      return {
        id: worker.workerId,
        state: life.state,
        stateReason: life.reason,
        account: life.account,
        login: identity.login,
        email: identity.email,
        givenName: worker.preferredName ?? worker.givenName,
        familyName: worker.familyName,
        displayName: identity.displayName,
        workerType: worker.workerType,
        startDate: worker.startDate,
        ...defined({ department: worker.department, location: worker.location, title: worker.title, managerId: worker.managerId }),
        roles: life.entitled ? rolesFor(attributes, rules, grantsOf.get(worker.workerId) ?? [], roles) : [],
        source: at,
      };
    })
    .sort(byString((p) => p.id));
  for (const person of people) findings.push(...checkSeparationOfDuties(person, inputs.policy, grants.holding));

  const serviceAccounts = serviceAccountStates(inputs.serviceAccounts, lives, roles, inputs.policy, asOf);
  findings.push(...serviceAccounts.findings);

  return {
    asOf,
    inputs: inputs.files,
    people,
    serviceAccounts: serviceAccounts.states.sort(byString((s) => s.id)),
    targets: projectTargets(people, serviceAccounts.states, roles, inputs.catalog, inputs.policy),
    findings,
  };
}

/** Two people with accounts and one email would be one account in every target: refuse it. */
function emailCollisions(rows: Inputs["roster"], identities: ReadonlyMap<string, Identity>): Finding[] {
  const owners = new Map<string, string>();
  const findings: Finding[] = [];
  for (const { value: worker, at } of [...rows].sort(byString((r) => r.value.workerId))) {
    const email = identities.get(worker.workerId)!.email;
    const other = owners.get(email);
    if (other) {
      findings.push({ severity: "error", code: "duplicate-email", message: `${worker.workerId} and ${other} would both have the email ${email}`, ...at, hint: "correct the work email in the HR export (a converted contractor may still have an old record)" });
    } else owners.set(email, worker.workerId);
  }
  return findings;
}

/** Every worker's management chain, nearest manager first; a cycle stops the walk. */
function managerChains(workers: Worker[]): Map<string, string[]> {
  const managerOf = new Map(workers.map((w) => [w.workerId, w.managerId]));
  const chains = new Map<string, string[]>();
  for (const worker of workers) {
    const chain: string[] = [];
    for (let m = worker.managerId; m !== undefined && !chain.includes(m) && m !== worker.workerId; m = managerOf.get(m)) chain.push(m);
    chains.set(worker.workerId, chain);
  }
  return chains;
}

function defined<T extends Record<string, string | undefined>>(fields: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<Record<keyof T, string>>;
}
