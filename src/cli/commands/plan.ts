import { createInterface } from "node:readline/promises";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { up } from "../../engine/operations.js";
import { bundleDir, writeApplied, writePlanBundle } from "../../evidence/bundle.js";
import { renderText } from "../../evidence/render-text.js";
import { appliedSteps, changingSteps } from "../../evidence/steps.js";
import { PlanDocumentSchema, type AppliedDocument, type PlanDocument } from "../../model/plan.js";
import { findProjectDir, progress, RefusedError } from "../context.js";
import { makePlan } from "../planning.js";
import { prepareStackRun } from "../stack-run.js";

interface PlanOptions {
  stack: string;
  evidence?: string;
}

/** `rolecall plan`: preview, write the evidence bundle, say in people what would change. */
export async function planCommand(opts: PlanOptions): Promise<void> {
  const projectDir = await findProjectDir();
  const run = await prepareStackRun(projectDir, opts.stack);
  const plan = await makePlan(run, projectDir);
  await writeAndShow(projectDir, opts, plan);
  refuseOnGuardrails(plan, "apply would refuse this plan");
}

interface ApplyOptions extends PlanOptions {
  yes?: boolean;
  allowMassDeprovision?: string;
  allowMassChange?: string;
  reviewed?: string;
}

/**
 * `rolecall apply`: preview, check the guardrails, write the evidence, confirm, then apply —
 * only if a fresh preview still matches the plan shown (and the reviewed one, if given).
 * The outcome of every step goes into applied.json, also when the update fails.
 */
export async function applyCommand(opts: ApplyOptions): Promise<void> {
  const projectDir = await findProjectDir();
  const run = await prepareStackRun(projectDir, opts.stack);
  const plan = await makePlan(run, projectDir, opts.allowMassDeprovision, opts.allowMassChange);
  const dir = await writeAndShow(projectDir, opts, plan);
  refuseOnGuardrails(plan, "nothing was applied");
  if (opts.reviewed) await matchReviewed(plan, opts.reviewed);
  if (changingSteps(plan.steps).length === 0) return;
  if (!opts.yes && !(await confirm("Apply these changes?"))) {
    progress("nothing applied");
    return;
  }
  const fresh = await makePlan(run, projectDir, opts.allowMassDeprovision, opts.allowMassChange);
  if (fresh.digest !== plan.digest) {
    throw new RefusedError("the targets or inputs changed since this plan was made (a fresh preview differs); nothing was applied — run apply again to review the new plan");
  }

  progress(`applying stack ${opts.stack}…`);
  const startedAt = new Date().toISOString();
  const { events, error } = await up(run.stack, progress);
  const applied: AppliedDocument = {
    schemaVersion: 1,
    planDigest: plan.digest,
    startedAt,
    finishedAt: new Date().toISOString(),
    result: error ? "failed" : "succeeded",
    ...(error ? { error: error.message.split("\n").slice(0, 20).join("\n") } : {}),
    steps: appliedSteps(events),
  };
  await writeApplied(dir, applied);
  if (error) throw new Error(`the update failed; what was done is recorded in ${path.join(dir, "applied.json")}:\n${applied.error}`);
  const unplanned = applied.steps.filter((s) => !plan.steps.some((p) => p.urn === s.urn && p.op === s.op));
  if (unplanned.length > 0) throw new RefusedError(`the update did steps the plan did not show: ${unplanned.map((s) => `${s.op} ${s.urn}`).join(", ")}`);
  process.stdout.write(`\nApplied to stack ${opts.stack}: ${applied.steps.length} steps done. Evidence: ${path.relative(process.cwd(), dir)}\n`);
}

/** Writes the evidence bundle and shows the plan, saying where the bundle is. */
async function writeAndShow(projectDir: string, opts: PlanOptions, plan: PlanDocument): Promise<string> {
  const dir = opts.evidence ? path.resolve(opts.evidence) : bundleDir(projectDir, opts.stack, new Date(plan.manifest.createdAt));
  await writePlanBundle(dir, plan);
  process.stdout.write(renderText(plan, `Plan for stack ${opts.stack}, as of ${plan.manifest.asOf}:`) + `\n\nEvidence: ${path.relative(process.cwd(), dir)}\n`);
  return dir;
}

function refuseOnGuardrails(plan: PlanDocument, consequence: string): void {
  const failed = plan.guardrails.filter((g) => g.verdict === "fail");
  if (failed.length > 0) throw new RefusedError(`guardrail${failed.length > 1 ? "s" : ""} tripped (${failed.map((g) => g.name).join(", ")}); ${consequence}`);
}

/** Refuses unless this preview does exactly what a reviewed plan (a bundle or its plan.json) showed. */
async function matchReviewed(plan: PlanDocument, reviewed: string): Promise<void> {
  const file = reviewed.endsWith(".json") ? reviewed : path.join(reviewed, "plan.json");
  const parsed = PlanDocumentSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) throw new RefusedError(`${file} is not a rolecall plan`);
  if (parsed.data.digest !== plan.digest) {
    throw new RefusedError(`this preview differs from the reviewed plan in ${file} (digest ${plan.digest.slice(0, 12)}… vs ${parsed.data.digest.slice(0, 12)}…); nothing was applied`);
  }
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    progress("not a terminal and no --yes: nothing applied (pass --yes to apply unattended)");
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
