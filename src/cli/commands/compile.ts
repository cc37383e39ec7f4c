import path from "node:path";
import type { Finding } from "../../model/finding.js";
import type { StackSettings } from "../../model/stack-settings.js";
import { checkTargetLimits, targetsOfCatalog } from "../../targets/limits.js";
import { findProjectDir, RefusedError } from "../context.js";
import { compileDir, loadAndCompile } from "../desired.js";
import { formatFindings, type FindingsFormat } from "../findings-format.js";
import { writeJson } from "../json-stream.js";
import type { PreviousRecord } from "../../model/previous.js";
import { checkStacks, type CheckedStack } from "../stack-files.js";
import { controlPlaneFindings, type ControlPlaneOptions } from "./codeowners.js";

/**
 * `rolecall validate`: every finding, like a compiler; exit 1 when any is an error. Checks
 * the desired-state folder, the project's stack files (all of them, or `--stack`'s), and the
 * limits of every target that a stack provisioning this folder switches on — or, outside a
 * project or when no stack provisions it, of every target its catalog describes.
 */
export async function validateCommand(opts: { dir: string; asOf?: string; format: FindingsFormat; stack?: string; against?: string } & ControlPlaneOptions): Promise<void> {
  const { inputs, desired } = await loadAndCompile(opts.dir, opts.asOf, await recordOf(opts.against));
  desired.findings.push(...(await controlPlaneFindings(opts.dir, inputs, opts)));
  const projectDir = await findProjectDir().catch(() => undefined);
  const stacks = projectDir ? await checkStacks(projectDir, opts.stack) : [];
  const here = path.resolve(opts.dir);
  const provisioning = stacks.filter((s) => s.settings && path.resolve(projectDir!, s.settings.desiredState) === here);
  const targetSets = provisioning.length > 0 ? provisioning.map((s) => s.settings!.targets) : opts.stack === undefined ? [targetsOfCatalog(inputs.catalog)] : [];
  const findings = [
    ...desired.findings.map((f) => inDir(f, opts.dir)),
    ...stacks.flatMap((s) => s.findings.map((f) => inProject(f, projectDir!))),
    ...unique(targetSets.flatMap((targets) => checkTargetLimits(targets, desired, inputs))).map((f) => inDir(f, opts.dir)),
  ];
  if (opts.format === "json" || findings.length > 0) process.stdout.write(formatFindings(findings, opts.format, "") + "\n");
  const errors = findings.filter((f) => f.severity === "error").length;
  if (errors > 0) throw new RefusedError(`${errors} error${errors === 1 ? "" : "s"} in ${[opts.dir, ...stacks.filter((s) => s.findings.length > 0).map((s) => s.file)].join(", ")}`);
  if (opts.format === "text") {
    process.stdout.write(
      `${opts.dir}: valid as of ${desired.asOf} — ${desired.people.length} people, ${inputs.roles.length} roles, ${inputs.rules.length} rules, ${inputs.grants.length} grants${describeStacks(stacks, provisioning)}\n`,
    );
  }
}

function describeStacks(stacks: CheckedStack[], provisioning: CheckedStack[]): string {
  if (stacks.length === 0) return "";
  const targets = [...new Set(provisioning.flatMap((s) => Object.keys(s.settings!.targets as StackSettings["targets"])))].sort();
  return `; stacks ${stacks.map((s) => s.name).join(", ")} valid${targets.length ? `, checked against the limits of ${targets.join(", ")}` : ""}`;
}

/** A finding's file as the user sees it from where rolecall runs. */
function inDir(f: Finding, dir: string): Finding {
  return f.file ? { ...f, file: `${dir}/${f.file}` } : f;
}

function inProject(f: Finding, projectDir: string): Finding {
  return f.file ? { ...f, file: path.relative(process.cwd(), path.join(projectDir, f.file)) || f.file } : f;
}

/** Two stacks with the same target report each limit once. */
function unique(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}|${f.file}|${f.line}|${f.message}`;
    return !seen.has(key) && seen.add(key);
  });
}

/** `rolecall compile`: the DesiredState JSON, to stdout or a file. */
export async function compileCommand(opts: { dir: string; asOf?: string; out: string; against?: string }): Promise<void> {
  const { desired } = await compileDir(opts.dir, opts.asOf, undefined, await recordOf(opts.against));
  await writeJson(desired, opts.out);
}

/** With --against, the stack's record of its last apply; without, none (the roster alone names people). */
async function recordOf(stack: string | undefined): Promise<PreviousRecord | undefined> {
  if (stack === undefined) return undefined;
  // Reading a record opens the stack's workspace: only `--against` pays for loading the engine's SDK.
  const { readStackRecord } = await import("../stack-run.js");
  return readStackRecord(await findProjectDir(), stack);
}
