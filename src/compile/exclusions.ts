import type { HeldRole } from "../model/desired-state.js";
import type { Exclusion } from "../model/exclusion.js";
import type { Finding } from "../model/finding.js";
import type { Located } from "../model/person.js";
import type { RoleIndex } from "./roles.js";

/** Exclusions by worker ID, each worker's set of excluded roles. */
export type ExclusionIndex = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Indexes the exclusions. One naming an unknown role is an error (it would exclude nothing, so
 * the reviewer's decision would silently not hold); one for a worker not in the roster is a
 * warning — people leave, and that must not block the run that deprovisions them.
 */
export function indexExclusions(exclusions: readonly Located<Exclusion>[], roles: RoleIndex, workers: { has(workerId: string): boolean }): { index: ExclusionIndex; findings: Finding[] } {
  const index = new Map<string, Set<string>>();
  const findings: Finding[] = [];
  for (const { value: e, at } of exclusions) {
    if (!roles.byId.has(e.role)) {
      findings.push({ severity: "error", code: "exclusion-unknown-role", message: `exclusion of ${e.worker} from '${e.role}': no such role`, ...at, hint: "name a role defined under roles/, or remove the exclusion" });
      continue;
    }
    if (!workers.has(e.worker)) {
      findings.push({ severity: "warning", code: "unknown-worker", message: `exclusion of ${e.worker} from '${e.role}': ${e.worker} is not in the roster`, ...at, hint: "remove the exclusion" });
      continue;
    }
    let set = index.get(e.worker);
    if (!set) index.set(e.worker, (set = new Set()));
    set.add(e.role);
  }
  return { index, findings };
}

/**
 * A worker's roles with the excluded ones taken away: an excluded role keeps only the grants
 * that name it, and whatever a role no longer held included goes with it.
 */
export function withoutExcluded(held: HeldRole[], excluded: ReadonlySet<string> | undefined): HeldRole[] {
  if (!excluded || excluded.size === 0) return held;
  const kept = held.map((h) => ({ ...h, reasons: excluded.has(h.role) ? h.reasons.filter((r) => r.kind === "grant") : h.reasons }));
  // An include chain starts at a role given directly (by a rule or a grant), which always has
  // a reason of its own: the chain holds while that role is still held.
  const direct = new Set(kept.filter((h) => h.reasons.some((r) => r.kind !== "include")).map((h) => h.role));
  return kept
    .map((h) => ({ ...h, reasons: h.reasons.filter((r) => r.kind !== "include" || direct.has(r.via[0]!)) }))
    .filter((h) => h.reasons.length > 0);
}
