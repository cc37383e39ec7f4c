import path from "node:path";
import { resolveConnections } from "../../engine/connections.js";
import { readInventory } from "../../inventory/read.js";
import { renderInventoryText } from "../../inventory/render.js";
import type { Finding } from "../../model/finding.js";
import type { InventoryDocument, LiveRead } from "../../model/inventory.js";
import { decideAdoptionFor } from "../adoption-run.js";
import { findProjectDir, RefusedError, sandboxPort } from "../context.js";
import { formatFindings } from "../findings-format.js";
import { prepareStackRun, type StackRun } from "../stack-run.js";
import type { StackRecord } from "../../targets/record.js";

export interface InventoryOptions {
  stack: string;
  json?: boolean;
}

/**
 * Reads the stack's targets live and correlates them with HR, from a prepared stack run (plan
 * uses it for its bundle too; apply after its update, with the record it wrote, and the proof
 * judges the same `live` read).
 */
export async function inventoryOf(run: StackRun, projectDir: string, record = run.outputs.rolecall as StackRecord | undefined): Promise<{ document: InventoryDocument; findings: Finding[]; live: LiveRead[] }> {
  const config = await run.stack.getAllConfig();
  const connections = await resolveConnections(run.settings, { projectDir, scimToken: config["rolecall:scimToken"]?.value, sandboxPort: sandboxPort(), desired: run.desired });
  const { document, findings, live } = await readInventory({ stack: run.stackName, desired: run.desired, record, rules: run.policy.inventory.correlation, connections });
  // Findings point at the desired-state files, as validate's do.
  return { document, live, findings: findings.map((f) => (f.file ? { ...f, file: path.join(run.settings.desiredState, f.file) } : f)) };
}

/**
 * `rolecall inventory`: every account, group and membership the stack's targets hold now,
 * each account classified against HR. Exit 1 when an account is disputed: nothing that
 * changes access may act on it until it is settled.
 */
export async function inventoryCommand(opts: InventoryOptions): Promise<void> {
  const projectDir = await findProjectDir();
  const run = await prepareStackRun(projectDir, opts.stack, "inventory");
  try {
    // Disputes adoption.yaml settles are not errors here either: the same decisions plan and apply take.
    const { inventory: document, adoption, findings } = await decideAdoptionFor(run, projectDir);
    process.stdout.write((opts.json ? JSON.stringify(document, null, 2) : renderInventoryText(document, adoption)) + "\n");
    if (findings.length > 0) process.stderr.write(formatFindings(findings, "text", "") + "\n");
    // A dispute apply can leave alone (every candidate already managed) still needs a person's
    // decision: the report fails on it, so that a scheduled inventory surfaces it.
    const disputed = findings.filter((f) => f.severity === "error" || f.code === "disputed-account").length;
    if (disputed > 0) throw new RefusedError(`${disputed} disputed account${disputed === 1 ? "" : "s"} or decision${disputed === 1 ? "" : "s"} to settle: nothing adopts or removes ${disputed === 1 ? "it" : "them"} until adoption.yaml does`);
  } finally {
    await run.log.close();
  }
}
