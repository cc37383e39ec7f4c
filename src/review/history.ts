import { z } from "zod";
import { appliedBundles, HistoryError } from "../evidence/history.js";

/** When a holding was last given, by which applied evidence bundle. */
export interface Since {
  at: string;
  bundle: string;
}

/**
 * What a history replay needs of a plan. Deliberately loose (no strict objects): bundles
 * written by an older or newer rolecall still say who gained and lost what.
 */
const Access = z.object({ target: z.string(), kind: z.string(), item: z.string() });
const PlanAccess = z.object({
  digest: z.string(),
  people: z.array(z.object({ id: z.string(), gains: z.array(Access), losses: z.array(Access) })),
});

export interface AppliedRun {
  bundle: string;
  finishedAt: string;
  plan: z.infer<typeof PlanAccess>;
}

/**
 * The successful applies of a stack, oldest first, from its evidence folder, read by
 * src/evidence/history.ts (which refuses a history with a hole or an edit). Plans that were
 * never applied and failed applies say nothing about what a target holds, so they are left out.
 */
export async function readAppliedRuns(evidenceDir: string, relativeTo: string): Promise<AppliedRun[]> {
  const runs: AppliedRun[] = [];
  for (const b of await appliedBundles(evidenceDir, relativeTo)) {
    if (b.applied.result !== "succeeded") continue;
    if (b.applied.finishedAt === undefined) throw new HistoryError(`${b.bundle}/applied.json`, "says the apply succeeded but not when it finished", `run rolecall evidence verify ${b.bundle}`);
    await b.verify();
    const plan = await b.read("plan.json", PlanAccess);
    if (plan.digest !== b.applied.planDigest) throw new HistoryError(`${b.bundle}/applied.json`, `executed plan ${b.applied.planDigest.slice(0, 12)}…, not this plan.json (${plan.digest.slice(0, 12)}…)`, `run rolecall evidence verify ${b.bundle}`);
    runs.push({ bundle: b.bundle, finishedAt: b.applied.finishedAt, plan });
  }
  return runs.sort((a, b) => (a.finishedAt < b.finishedAt ? -1 : a.finishedAt > b.finishedAt ? 1 : 0));
}

/**
 * Replays the applied runs: a holding's `since` is the apply that last gave it, provided no
 * later apply took it away. What the history never shows being given is unknown — it was
 * there before the history starts, or it is not applied yet — and stays undefined.
 */
export function sinceIndex(runs: readonly AppliedRun[]): (holder: string, target: string, item: string) => Since | undefined {
  const since = new Map<string, Since>();
  for (const run of runs) {
    for (const person of run.plan.people) {
      for (const loss of person.losses) since.delete(key(person.id, loss.target, `${loss.kind}:${loss.item}`));
      for (const gain of person.gains) since.set(key(person.id, gain.target, `${gain.kind}:${gain.item}`), { at: run.finishedAt, bundle: run.bundle });
    }
  }
  return (holder, target, item) => since.get(key(holder, target, item));
}

function key(holder: string, target: string, item: string): string {
  return `${holder}\u0000${target}\u0000${item}`;
}
