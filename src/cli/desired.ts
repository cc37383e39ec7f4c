import path from "node:path";
import { compile } from "../compile/compile.js";
import { loadDesiredState } from "../load/desired-state-dir.js";
import type { DesiredState } from "../model/desired-state.js";
import type { Policy } from "../model/policy.js";
import { IsoDate } from "../model/common.js";
import { todayIn } from "../load/as-of.js";
import { RefusedError } from "./context.js";
import { formatFindings, type FindingsFormat } from "./findings-format.js";

export interface CompiledRun {
  desired: DesiredState;
  policy: Policy;
  /** The folder as the user named it, for messages. */
  dir: string;
}

/**
 * Loads and compiles a desired-state folder, printing findings to stderr. Errors refuse the
 * run (exit 1): nothing is previewed or applied from inputs that did not validate.
 */
export async function compileDir(dir: string, asOf: string | undefined, format: FindingsFormat = "text"): Promise<CompiledRun> {
  if (asOf !== undefined && !IsoDate.safeParse(asOf).success) throw new RefusedError(`--as-of ${asOf} is not a date; use YYYY-MM-DD`);
  const inputs = await loadDesiredState(path.resolve(dir));
  const desired = compile(inputs, asOf ?? todayIn(inputs.policy.organization.timezone));
  if (desired.findings.length > 0 && format !== "json") process.stderr.write(formatFindings(desired.findings, format, dir) + "\n");
  const errors = desired.findings.filter((f) => f.severity === "error").length;
  if (errors > 0) throw new RefusedError(`${errors} error${errors === 1 ? "" : "s"} in ${dir}; nothing was compiled into a plan`);
  return { desired, policy: inputs.policy, dir };
}
