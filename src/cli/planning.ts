import path from "node:path";
import { createRequire } from "node:module";
import { checkGuardrails } from "../engine/guardrails.js";
import { lastOutputs, preview } from "../engine/operations.js";
import { PULUMI_VERSION } from "../engine/pulumi-version.js";
import { gatherManifest } from "../evidence/manifest.js";
import { buildPlan } from "../evidence/plan-model.js";
import { stepsFromEvents } from "../evidence/steps.js";
import type { PlanDocument } from "../model/plan.js";
import type { StackRecord } from "../targets/record.js";
import { progress } from "./context.js";
import type { StackRun } from "./stack-run.js";

const { version: ROLECALL_VERSION } = createRequire(import.meta.url)("../../package.json") as { version: string };

/**
 * Previews the stack and turns the result into the plan document: people-centric changes,
 * guardrail verdicts, and the manifest of what it was computed from.
 */
export async function makePlan(run: StackRun, projectDir: string, override?: string, changeOverride?: string): Promise<PlanDocument> {
  const previous = (await lastOutputs(run.stack)).rolecall as StackRecord | undefined;
  progress(`previewing stack ${run.stackName}…`);
  const steps = stepsFromEvents(await preview(run.stack, progress));
  const targets = Object.keys(run.settings.targets);
  const core = buildPlan(steps, run.desired, previous, targets);
  const manifest = await gatherManifest({
    stack: run.stackName,
    asOf: run.desired.asOf,
    desiredState: path.relative(projectDir, path.resolve(projectDir, run.settings.desiredState)) || ".",
    inputs: run.desired.inputs,
    versions: { rolecall: ROLECALL_VERSION, pulumi: PULUMI_VERSION, node: process.version },
    projectDir,
    ...(override ? { override } : {}),
    ...(changeOverride ? { changeOverride } : {}),
  });
  return {
    schemaVersion: 1,
    manifest,
    ...core,
    guardrails: checkGuardrails(core, run.desired, previous, run.policy, override, changeOverride),
  };
}
