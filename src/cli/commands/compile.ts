import { RefusedError } from "../context.js";
import { compileDir, errorCount, loadAndCompile } from "../desired.js";
import { formatFindings, type FindingsFormat } from "../findings-format.js";
import { writeJson } from "../json-stream.js";

/** `rolecall validate`: every finding, like a compiler; exit 1 when any is an error. */
export async function validateCommand(opts: { dir: string; asOf?: string; format: FindingsFormat }): Promise<void> {
  const { inputs, desired } = await loadAndCompile(opts.dir, opts.asOf);
  if (opts.format === "json" || desired.findings.length > 0) process.stdout.write(formatFindings(desired.findings, opts.format, opts.dir) + "\n");
  const errors = errorCount(desired);
  if (errors > 0) throw new RefusedError(`${errors} error${errors === 1 ? "" : "s"} in ${opts.dir}`);
  if (opts.format === "text") {
    process.stdout.write(`${opts.dir}: valid as of ${desired.asOf} — ${desired.people.length} people, ${inputs.roles.length} roles, ${inputs.rules.length} rules, ${inputs.grants.length} grants\n`);
  }
}

/** `rolecall compile`: the DesiredState JSON, to stdout or a file. */
export async function compileCommand(opts: { dir: string; asOf?: string; out: string }): Promise<void> {
  const { desired } = await compileDir(opts.dir, opts.asOf);
  await writeJson(desired, opts.out);
}
