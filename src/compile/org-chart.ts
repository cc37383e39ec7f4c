import type { Finding } from "../model/finding.js";
import type { Located, Worker } from "../model/person.js";
import type { Lifecycle } from "./lifecycle.js";

/** The org chart as rules see it, aligned with the workers it was made from. */
export interface OrgChart {
  /**
   * Each worker's management chain, nearest manager first: a non-empty chain starts with the
   * worker's managerId (the rules' trie relies on it). A cycle stops the walk, and is an error finding elsewhere.
   */
  chains: (readonly string[])[];
  /**
   * Whether each worker is a manager: someone with at least one report who has not left. A
   * leaver still listed as someone's report makes nobody a manager, so manager-only roles go
   * when the last report does.
   */
  isManager: boolean[];
  /** The row of each worker's manager: -1 for none, or for a manager not in the export. */
  managerRow: readonly number[];
}

/**
 * The org chart of `workers` (one row per worker ID); `lives` and `managerRow` (each one's
 * manager's index, as CurrentRows has it) are aligned with them, `rowOf` gives a worker ID's
 * index among them. Managers are found by row once, so everything after works on row numbers,
 * not on worker-ID lookups.
 */
export function orgChart(workers: readonly Worker[], lives: readonly Lifecycle[], rowOf: ReadonlyMap<string, number>, managerRow: readonly number[]): OrgChart {
  // The chain from a manager up, that manager first: the same for all their reports, so it is
  // worked out once per manager and shared (walking it again for each of 100,000 people was
  // O(people × depth²)). A chain that runs into a cycle is left to the plain walk below.
  // Written out of order (a manager's row, then theirs above): full length from the start, so
  // V8 keeps it a plain array rather than turning it into a dictionary at the first far write.
  const upFrom: (readonly string[] | undefined)[] = workers.map(() => undefined);
  const chainFrom = (start: number): readonly string[] | undefined => {
    // Most managers' chains are known by the time their second report asks: no walk, nothing to allocate for one.
    const known = upFrom[start];
    if (known) return known;
    const path: number[] = [];
    const onPath = new Set<number>();
    let above: readonly string[] = [];
    for (let m = start; ; ) {
      const known = upFrom[m];
      if (known) {
        above = known;
        break;
      }
      if (onPath.has(m)) return undefined;
      onPath.add(m);
      path.push(m);
      const next = managerRow[m]!;
      if (next === -1) {
        // A manager outside the export ends the chain, and is its last link.
        const outside = workers[m]!.managerId;
        if (outside !== undefined) above = [outside];
        break;
      }
      m = next;
    }
    for (let i = path.length - 1; i >= 0; i--) upFrom[path[i]!] = above = [workers[path[i]!]!.workerId, ...above];
    return above;
  };
  const managerOf = (workerId: string) => {
    const row = rowOf.get(workerId);
    return row === undefined ? undefined : workers[row]!.managerId;
  };
  const chains: (readonly string[])[] = [];
  const isManager = workers.map(() => false);
  for (const [i, worker] of workers.entries()) {
    const manager = managerRow[i]!;
    let chain = worker.managerId === undefined ? [] : manager === -1 ? [worker.managerId] : chainFrom(manager);
    if (!chain) {
      const walked: string[] = [];
      for (let m = worker.managerId; m !== undefined && !walked.includes(m) && m !== worker.workerId; m = managerOf(m)) walked.push(m);
      chain = walked;
    }
    chains.push(chain);
    if (manager !== -1 && lives[i]!.state !== "leaver") isManager[manager] = true;
  }
  return { chains, isManager, managerRow };
}

/** Someone who has not left, reporting to someone who has: HR has a reporting line to fix. `lives` and `managerRow` are aligned with `rows`. */
export function managersWhoLeft(rows: readonly Located<Worker>[], lives: readonly Lifecycle[], managerRow: readonly number[]): Finding[] {
  const findings: Finding[] = [];
  for (const [i, { value: worker, at }] of rows.entries()) {
    const managerAt = managerRow[i]!;
    const manager = managerAt === -1 ? undefined : lives[managerAt]!;
    if (manager?.state !== "leaver" || lives[i]!.state === "leaver") continue;
    findings.push({
      severity: "warning",
      code: "manager-left",
      message: `${worker.workerId} reports to ${worker.managerId}, who has left (${manager.reason})`,
      ...at,
      hint: `give ${worker.workerId} their new manager in the HR export; rules on reportsTo still follow the old line`,
    });
  }
  return findings;
}
