import path from "node:path";
import { decideAdoption } from "../inventory/adoption.js";
import { adoptionFacts, completeAdoption } from "../inventory/adoption-holdings.js";
import { readAdoptionFile } from "../load/adoption-file.js";
import type { AdoptionPlan } from "../model/adoption.js";
import type { Finding } from "../model/finding.js";
import type { InventoryDocument, LiveRead } from "../model/inventory.js";
import type { StackRecord } from "../targets/record.js";
import { ALL_TARGETS } from "../targets/registry.js";
import { inventoryOf } from "./commands/inventory.js";
import type { StackRun } from "./stack-run.js";

export interface AdoptionRun {
  inventory: InventoryDocument;
  /** The targets as read, which the inventory was correlated from. */
  live: LiveRead[];
  adoption: AdoptionPlan;
  /** Disputed accounts nothing settles, stale or invalid decisions: errors refuse the run. Paths are under the project. */
  findings: Finding[];
}

/**
 * Reads the stack's targets live and decides what the run adopts and does with orphans,
 * from the inventory, adoption.yaml and policy.orphans: the input declare takes next to the
 * stack's record.
 */
export async function decideAdoptionFor(run: StackRun, projectDir: string, opts: { forApply?: boolean } = {}): Promise<AdoptionRun> {
  const { document, live: read } = await inventoryOf(run, projectDir);
  const live = Object.fromEntries(read.map((r) => [r.target, r.directory]));
  const dir = path.resolve(projectDir, run.settings.desiredState);
  const file = await readAdoptionFile(dir, run.policy.limits.maxFileBytes);
  const facts = adoptionFacts(run.settings.targets as Readonly<Record<string, unknown>>);
  const decided = decideAdoption({
    inventory: document,
    live,
    desired: run.desired,
    record: run.outputs.rolecall as StackRecord | undefined,
    decisions: file.decisions,
    orphans: run.policy.orphans,
    facts,
  });
  const completed = completeAdoption(decided.plan, document, live, run.desired, run.settings.targets as Readonly<Record<string, unknown>>);
  const adoption = completed.plan;
  const findings = [...file.findings, ...decided.findings, ...completed.findings, ...(opts.forApply ? unsupported(decided.plan, run) : [])].map((f) => (f.file ? { ...f, file: path.join(run.settings.desiredState, f.file) } : f));
  return { inventory: document, live: read, adoption, findings };
}

/**
 * An existing account or group in a target that cannot adopt yet: its create would fail on the
 * taken name or make a duplicate, so the plan is refused, naming the account and the fix.
 */
function unsupported(plan: AdoptionPlan, run: StackRun): Finding[] {
  return plan.adoptions.flatMap((a): Finding[] => {
    if (ALL_TARGETS.find((t) => t.name === a.target)?.adoption) return [];
    const at = run.desired.people.find((p) => p.id === a.key)?.source ?? { file: a.kind === "group" ? "catalog.yaml" : "hr/roster.csv" };
    return [
      {
        severity: "error",
        code: "adoption-unsupported",
        message: `${a.target} already holds ${a.kind} ${a.name} (id ${a.id}) for ${a.key} (${a.because}), and rolecall cannot adopt into ${a.target} yet: creating it would fail or duplicate it`,
        ...at,
        hint: `remove or rename the existing ${a.kind} in ${a.target}, or leave ${a.target} off this stack until it can adopt`,
      },
    ];
  });
}
