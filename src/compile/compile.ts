import type { DesiredState, Person } from "../model/desired-state.js";
import type { Inputs } from "../model/inputs.js";
import type { Worker } from "../model/person.js";
import type { Attributes } from "./conditions.js";
import { rolesFor } from "./entitlements.js";
import { assignIdentities } from "./identity.js";
import { checkIntegrity } from "./integrity.js";
import { lifecycleOf, type Account } from "./lifecycle.js";
import { byString } from "./order.js";
import { projectScim } from "./project-scim.js";
import { indexRoles } from "./roles.js";

/**
 * The desired state on `asOf` (YYYY-MM-DD, a day in the policy's timezone). Pure: the same
 * inputs and date give the same, byte-identical result.
 */
export function compile(inputs: Inputs, asOf: string): DesiredState {
  const { index: roles, findings: roleFindings } = indexRoles(inputs.roles);
  const findings = [...inputs.findings, ...roleFindings, ...checkIntegrity(inputs, roles)];

  const rows = uniqueRows(inputs.roster);
  const workers = rows.map((r) => r.value);
  const identities = assignIdentities(workers, inputs.policy);
  const managers = managerChains(workers);
  const reports = new Set(workers.map((w) => w.managerId).filter((m): m is string => m !== undefined));

  const people: { person: Person; account: Account }[] = rows.map(({ value: worker, at }) => {
    const life = lifecycleOf(worker, asOf, inputs.policy);
    const identity = identities.get(worker.workerId)!;
    const attributes: Attributes = {
      ...worker,
      reportsTo: managers.get(worker.workerId) ?? [],
      isManager: reports.has(worker.workerId),
    };
    const person: Person = {
      id: worker.workerId,
      state: life.state,
      stateReason: life.reason,
      login: identity.login,
      email: identity.email,
      givenName: worker.preferredName ?? worker.givenName,
      familyName: worker.familyName,
      displayName: identity.displayName,
      workerType: worker.workerType,
      ...optional({ department: worker.department, location: worker.location, title: worker.title, managerId: worker.managerId }),
      roles: life.entitled ? rolesFor(attributes, worker.workerId, inputs.rules, inputs.grants, roles, asOf) : [],
      source: at,
    };
    return { person, account: life.account };
  });
  people.sort(byString((p) => p.person.id));

  return {
    asOf,
    inputs: inputs.files,
    people: people.map((p) => p.person),
    serviceAccounts: [],
    targets: { scim: projectScim(people, roles, inputs.catalog) },
    findings,
  };
}

/** The first row of each worker ID; duplicates are already an error finding. */
function uniqueRows(roster: Inputs["roster"]): Inputs["roster"] {
  const seen = new Set<string>();
  return roster.filter((r) => !seen.has(r.value.workerId) && seen.add(r.value.workerId));
}

/** Every worker's management chain, nearest manager first; a cycle stops the walk. */
function managerChains(workers: Worker[]): Map<string, string[]> {
  const managerOf = new Map(workers.map((w) => [w.workerId, w.managerId]));
  const chains = new Map<string, string[]>();
  for (const worker of workers) {
    const chain: string[] = [];
    for (let m = worker.managerId; m !== undefined && !chain.includes(m) && m !== worker.workerId; m = managerOf.get(m)) {
      chain.push(m);
    }
    chains.set(worker.workerId, chain);
  }
  return chains;
}

function optional<T extends Record<string, string | undefined>>(fields: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<Record<keyof T, string>>;
}
