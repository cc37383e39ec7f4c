import path from "node:path";
import { compile } from "../compile/compile.js";
import { todayIn } from "../load/as-of.js";
import { loadDesiredState } from "../load/desired-state-dir.js";
import { IsoDate } from "../model/common.js";
import type { DesiredState } from "../model/desired-state.js";
import type { Inputs } from "../model/inputs.js";
import type { Policy } from "../model/policy.js";
import type { PreviousRecord } from "../model/previous.js";
import type { StackSettings } from "../model/stack-settings.js";
import { checkTargetLimits } from "../targets/limits.js";
import { RefusedError, UsageError } from "./context.js";
import { formatFindings } from "./findings-format.js";

/**
 * Loads and compiles a desired-state folder as of a date (default: today in the policy's
 * timezone), against a stack's previous record when there is one (it pins the logins).
 */
export async function loadAndCompile(dir: string, asOf: string | undefined, previous?: PreviousRecord, loaded?: Inputs): Promise<{ inputs: Inputs; desired: DesiredState }> {
  if (asOf !== undefined && !IsoDate.safeParse(asOf).success) throw new UsageError(`--as-of ${asOf} is not a date; use YYYY-MM-DD`);
  const inputs: Inputs = { ...(loaded ?? (await loadDesiredState(path.resolve(dir)))), ...(previous ? { previous } : {}) };
  return { inputs, desired: compile(inputs, asOf ?? todayIn(inputs.policy.organization.timezone)) };
}

/** How many findings are errors, for the message that refuses a run. */
export function errorCount(desired: DesiredState): number {
  return desired.findings.filter((f) => f.severity === "error").length;
}

/**
 * Loads and compiles a desired-state folder, printing findings to stderr. Errors refuse the
 * run (exit 1): nothing is previewed or applied from inputs that did not validate.
 */
export async function compileDir(dir: string, asOf: string | undefined, targets?: StackSettings["targets"], previous?: PreviousRecord, loaded?: Inputs): Promise<{ desired: DesiredState; policy: Policy; roster: Inputs["roster"] }> {
  const { inputs, desired } = await loadAndCompile(dir, asOf, previous, loaded);
  // What the stack's targets would refuse is refused here, before the engine starts.
  if (targets) desired.findings.push(...checkTargetLimits(targets, desired, inputs));
  if (desired.findings.length > 0) process.stderr.write(formatFindings(desired.findings, "text", dir) + "\n");
  const errors = errorCount(desired);
  if (errors > 0) throw new RefusedError(`${errors} error${errors === 1 ? "" : "s"} in ${dir}; nothing was compiled into a plan`);
  return { desired, policy: inputs.policy, roster: inputs.roster };
}

/**
 * Loads a desired-state folder for plan or apply before any engine starts: what the loader
 * refuses (files, the export's bytes and shape, YAML, policy) needs no stack record, so it is
 * refused here — every finding of a record-less compile printed, as validate prints them.
 */
export async function loadRefusingErrors(dir: string, targets: StackSettings["targets"]): Promise<Inputs> {
  const loaded = await loadDesiredState(path.resolve(dir));
  if (loaded.findings.some((f) => f.severity === "error")) await compileDir(dir, undefined, targets, undefined, loaded);
  return loaded;
}
