import { writeFile } from "node:fs/promises";
import { loadDesiredState } from "../../load/desired-state-dir.js";
import { compile } from "../../compile/compile.js";
import path from "node:path";
import { todayIn } from "../../load/as-of.js";
import { RefusedError } from "../context.js";
import { compileDir } from "../desired.js";
import { formatFindings, type FindingsFormat } from "../findings-format.js";
import { IsoDate } from "../../model/common.js";

/** `rolecall validate`: findings only; exit 1 when any is an error. */
export async function validateCommand(opts: { dir: string; asOf?: string; format: FindingsFormat }): Promise<void> {
  if (opts.asOf !== undefined && !IsoDate.safeParse(opts.asOf).success) throw new RefusedError(`--as-of ${opts.asOf} is not a date; use YYYY-MM-DD`);
  const inputs = await loadDesiredState(path.resolve(opts.dir));
  const desired = compile(inputs, opts.asOf ?? todayIn(inputs.policy.organization.timezone));
  const errors = desired.findings.filter((f) => f.severity === "error").length;
  if (opts.format === "json") process.stdout.write(formatFindings(desired.findings, "json", opts.dir) + "\n");
  else if (desired.findings.length > 0) process.stdout.write(formatFindings(desired.findings, opts.format, opts.dir) + "\n");
  if (errors > 0) throw new RefusedError(`${errors} error${errors === 1 ? "" : "s"} in ${opts.dir}`);
  if (opts.format === "text") {
    process.stdout.write(`${opts.dir}: valid as of ${desired.asOf} — ${desired.people.length} people, ${inputs.roles.length} roles, ${inputs.rules.length} rules, ${inputs.grants.length} grants\n`);
  }
}

/** `rolecall compile`: the DesiredState JSON, to stdout or a file. */
export async function compileCommand(opts: { dir: string; asOf?: string; out: string }): Promise<void> {
  const { desired } = await compileDir(opts.dir, opts.asOf);
  const json = JSON.stringify(desired, null, 2) + "\n";
  if (opts.out === "-") process.stdout.write(json);
  else await writeFile(opts.out, json);
}
