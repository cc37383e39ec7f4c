import type { Finding } from "../model/finding.js";
import type { Located, Worker } from "../model/person.js";
import type { Lifecycle } from "./lifecycle.js";

/**
 * The org chart as rules see it. Everyone's management chain (nearest manager first; a cycle
 * stops the walk, and is an error finding elsewhere), and who is a manager: someone with at
 * least one report who has not left. A leaver still listed as someone's report makes nobody a
 * manager, so manager-only roles go when the last report does. `lives` and the chains
 * returned are aligned with `workers`.
 */
export function reportingLines(workers: readonly Worker[], lives: readonly Lifecycle[]): { chains: (readonly string[])[]; managers: Set<string> } {
  const managerOf = new Map(workers.map((w) => [w.workerId, w.managerId]));
  // The chain from a manager up, that manager first: the same for all their reports, so it is
  // worked out once per manager and shared (walking it again for each of 100,000 people was
  // O(people × depth²)). A chain that runs into a cycle is left to the plain walk below.
  const upFrom = new Map<string, readonly string[]>();
  const chainFrom = (start: string): readonly string[] | undefined => {
    const path: string[] = [];
    const onPath = new Set<string>();
    let above: readonly string[] = [];
    for (let m: string | undefined = start; m !== undefined; m = managerOf.get(m)) {
      const known = upFrom.get(m);
      if (known) {
        above = known;
        break;
      }
      if (onPath.has(m)) return undefined;
      onPath.add(m);
      path.push(m);
    }
    for (let i = path.length - 1; i >= 0; i--) upFrom.set(path[i]!, (above = [path[i]!, ...above]));
    return above;
  };
  const chains: (readonly string[])[] = [];
  const managers = new Set<string>();
  for (const [i, worker] of workers.entries()) {
    let chain = worker.managerId === undefined ? [] : chainFrom(worker.managerId);
    if (!chain) {
      const walked: string[] = [];
      for (let m = worker.managerId; m !== undefined && !walked.includes(m) && m !== worker.workerId; m = managerOf.get(m)) walked.push(m);
      chain = walked;
    }
    chains.push(chain);
    if (worker.managerId !== undefined && lives[i]!.state !== "leaver") managers.add(worker.managerId);
  }
  return { chains, managers };
}

/** Someone who has not left, reporting to someone who has: HR has a reporting line to fix. */
export function managersWhoLeft(rows: readonly Located<Worker>[], lives: ReadonlyMap<string, Lifecycle>): Finding[] {
  const findings: Finding[] = [];
  for (const { value: worker, at } of rows) {
    const manager = worker.managerId === undefined ? undefined : lives.get(worker.managerId);
    if (manager?.state !== "leaver" || lives.get(worker.workerId)?.state === "leaver") continue;
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
