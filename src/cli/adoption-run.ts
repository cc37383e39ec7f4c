import path from "node:path";
import { decideAdoption } from "../inventory/adoption.js";
import { readAdoptionFile } from "../load/adoption-file.js";
import type { AdoptionPlan } from "../model/adoption.js";
import type { Finding } from "../model/finding.js";
import type { InventoryDocument } from "../model/inventory.js";
import type { StackRecord } from "../targets/record.js";
import { ALL_TARGETS } from "../targets/registry.js";
import type { AdoptionFacts } from "../targets/target.js";
import { inventoryOf } from "./commands/inventory.js";
import type { StackRun } from "./stack-run.js";

export interface AdoptionRun {
  inventory: InventoryDocument;
  adoption: AdoptionPlan;
  /** Disputed accounts nothing settles, stale or invalid decisions: errors refuse the run. Paths are under the project. */
  findings: Finding[];
}

/**
 * Reads the stack's targets live and decides what the run adopts and does with orphans,
 * from the inventory, adoption.yaml and policy.orphans: the input declare takes next to the
 * stack's record.
 */
export async function decideAdoptionFor(run: StackRun, projectDir: string): Promise<AdoptionRun> {
  const { document, live: read } = await inventoryOf(run, projectDir);
  const live = Object.fromEntries(read.map((r) => [r.target, r.directory]));
  const dir = path.resolve(projectDir, run.settings.desiredState);
  const file = await readAdoptionFile(dir, run.policy.limits.maxFileBytes);
  const facts: Record<string, AdoptionFacts> = Object.fromEntries(ALL_TARGETS.flatMap((t) => (t.adoption ? [[t.name, t.adoption]] : [])));
  const decided = decideAdoption({
    inventory: document,
    live,
    desired: run.desired,
    record: run.outputs.rolecall as StackRecord | undefined,
    decisions: file.decisions,
    orphans: run.policy.orphans,
    facts,
  });
  const findings = [...file.findings, ...decided.findings].map((f) => (f.file ? { ...f, file: path.join(run.settings.desiredState, f.file) } : f));
  return { inventory: document, adoption: decided.plan, findings };
}
