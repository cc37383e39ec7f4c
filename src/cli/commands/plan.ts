import path from "node:path";
import { pendingIn } from "../../engine/recover.js";
import { bundleDir, writeInventory, writePlanBundle } from "../../evidence/bundle.js";
import { renderText } from "../../evidence/render-text.js";
import type { PlanDocument } from "../../model/plan.js";
import type { StackRecord } from "../../targets/record.js";
import { findProjectDir, progress, RefusedError } from "../context.js";
import { makePlan } from "../planning.js";
import { prepareStackRun, type StackRun } from "../stack-run.js";

export interface PlanOptions {
  stack: string;
  evidence?: string;
  everyResource?: boolean;
}

/** `rolecall plan`: preview, write the evidence bundle, say in people what would change. */
export async function planCommand(opts: PlanOptions): Promise<void> {
  const projectDir = await findProjectDir();
  const run = await prepareStackRun(projectDir, opts.stack, "plan");
  try {
    const pending = pendingIn(run.exported);
    if (pending.length > 0) progress(`an interrupted update left ${pending.length} pending operation(s) in the state; the next apply resolves them against the targets`);
    run.previous = readRecord(run);
    const { plan, inventory } = await makePlan(run, projectDir, { refresh: true, everyResource: opts.everyResource === true });
    const dir = await writeAndShow(projectDir, opts, plan);
    // What the targets hold beyond the stack's state, beside the plan: orphans, linked and disputed accounts, unmanaged holdings.
    if (inventory) await writeInventory(dir, inventory);
    refuseOnGuardrails(plan, "apply would refuse this plan");
  } finally {
    await run.log.close();
  }
}

/** The record of the last apply, from the stack's outputs. */
export function readRecord(run: StackRun): StackRecord | undefined {
  return run.outputs.rolecall as StackRecord | undefined;
}

/** Writes the evidence bundle and shows the plan, saying where the bundle is. */
export async function writeAndShow(projectDir: string, opts: PlanOptions, plan: PlanDocument): Promise<string> {
  const dir = opts.evidence ? path.resolve(opts.evidence) : bundleDir(projectDir, opts.stack, new Date(plan.manifest.createdAt));
  await writePlanBundle(dir, plan);
  process.stdout.write(renderText(plan, `Plan for stack ${opts.stack}, as of ${plan.manifest.asOf}:`) + `\n\nEvidence: ${path.relative(process.cwd(), dir)}\n`);
  return dir;
}

export function refuseOnGuardrails(plan: PlanDocument, consequence: string): void {
  const failed = plan.guardrails.filter((g) => g.verdict === "fail");
  if (failed.length > 0) throw new RefusedError(`guardrail${failed.length > 1 ? "s" : ""} tripped (${failed.map((g) => g.name).join(", ")}); ${consequence}`);
}
