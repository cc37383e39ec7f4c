import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/** When a holding was last given, by which applied evidence bundle. */
export interface Since {
  at: string;
  bundle: string;
}

/**
 * What a history replay needs of a bundle. Deliberately loose (no strict objects): bundles
 * written by an older or newer rolecall still say who gained and lost what.
 */
const Access = z.object({ target: z.string(), kind: z.string(), item: z.string() });
const PlanAccess = z.object({
  digest: z.string(),
  people: z.array(z.object({ id: z.string(), gains: z.array(Access), losses: z.array(Access) })),
});
const Applied = z.object({ planDigest: z.string(), finishedAt: z.string(), result: z.string() });

export interface AppliedRun {
  bundle: string;
  finishedAt: string;
  plan: z.infer<typeof PlanAccess>;
}

export class HistoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HistoryError";
  }
}

/**
 * The successful applies of a stack, oldest first, from its evidence folder
 * (`evidence/<stack>/<UTC time>/`). Plans that were never applied and failed applies say
 * nothing about what a target holds, so they are left out. A bundle whose files cannot be
 * read would leave a hole in the history, so it refuses instead of guessing around it.
 */
export async function readAppliedRuns(evidenceDir: string, relativeTo: string): Promise<AppliedRun[]> {
  const names = (await readdir(evidenceDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const runs: AppliedRun[] = [];
  for (const name of names) {
    const dir = path.join(evidenceDir, name);
    const bundle = path.relative(relativeTo, dir) || dir;
    const appliedText = await readFile(path.join(dir, "applied.json"), "utf8").catch(() => undefined);
    if (appliedText === undefined) continue;
    const applied = parse(Applied, appliedText, `${bundle}/applied.json`);
    if (applied.result !== "succeeded") continue;
    const planText = await readFile(path.join(dir, "plan.json"), "utf8").catch(() => {
      throw new HistoryError(`${bundle} has applied.json but no readable plan.json: the history has a hole; restore the bundle or move it out of ${path.relative(relativeTo, evidenceDir)}`);
    });
    const plan = parse(PlanAccess, planText, `${bundle}/plan.json`);
    if (plan.digest !== applied.planDigest) throw new HistoryError(`${bundle}: applied.json executed plan ${applied.planDigest.slice(0, 12)}…, not this plan.json (${plan.digest.slice(0, 12)}…); run rolecall evidence verify ${bundle}`);
    runs.push({ bundle, finishedAt: applied.finishedAt, plan });
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

function parse<T>(schema: z.ZodType<T>, text: string, where: string): T {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new HistoryError(`${where} is not JSON: the history has a hole; restore the bundle or move it out of the evidence folder`);
  }
  const result = schema.safeParse(data);
  if (!result.success) throw new HistoryError(`${where} is not a rolecall evidence file (${result.error.issues[0]?.path.join(".") ?? ""}: ${result.error.issues[0]?.message ?? ""})`);
  return result.data;
}
