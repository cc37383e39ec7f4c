/**
 * The hostile-input corpus: each case is the sample project with one thing broken, run
 * through the CLI's own entry point as a user would, asserting the exit code and each
 * finding's code and exact place — never the wording. Cases need no engine: `validate`
 * refuses before one starts.
 */
import { expect } from "vitest";
import { runCli } from "../../src/cli/main.js";
import type { Finding } from "../../src/model/finding.js";
import { TempProject, type CliResult } from "../e2e/support/project.js";

/** The day the sample organisation is written for (its grants and end dates are relative to it). */
export const SAMPLE_AS_OF = "2026-11-25";

export interface Outcome {
  code: number;
  findings: Finding[];
  result: CliResult;
}

/** A fresh copy of the sample project; remove() it in afterEach/afterAll. */
export function sampleProject(): Promise<TempProject> {
  return TempProject.create();
}

/** `rolecall validate --format json` in the project; findings' files stay as the CLI prints them. */
export async function validate(project: TempProject, ...args: string[]): Promise<Outcome> {
  const withAsOf = args.includes("--as-of") ? args : [...args, "--as-of", SAMPLE_AS_OF];
  const result = await runInProject(project, ["validate", "--format", "json", ...withAsOf]);
  let findings: Finding[] = [];
  try {
    findings = JSON.parse(result.stdout) as Finding[];
  } catch {
    // Not JSON: the assertion below shows the CLI's own output.
  }
  return { code: result.code, findings, result };
}

/**
 * `rolecall <args>` in this test process, in the project's folder, with its output captured: the
 * same entry point bin/rolecall.js calls, without starting a Node process per case (the
 * corpus has over a hundred). Cases in a file run one after another, so swapping the working
 * folder and the output streams for the duration of one run is safe.
 */
async function runInProject(project: TempProject, args: string[]): Promise<CliResult> {
  const out = { stdout: "", stderr: "" };
  const capture = (stream: "stdout" | "stderr") => ((chunk: string | Uint8Array) => {
    out[stream] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return true;
  }) as typeof process.stdout.write;
  const env = { ...project.env, NO_COLOR: "1" };
  const saved = { cwd: process.cwd(), stdout: process.stdout.write, stderr: process.stderr.write, env: Object.keys(env).map((k) => [k, process.env[k]] as const) };
  Object.assign(process.env, env);
  process.chdir(project.dir);
  process.stdout.write = capture("stdout");
  process.stderr.write = capture("stderr");
  try {
    const code = await runCli([process.execPath, "rolecall", ...args]);
    return { code, ...out };
  } finally {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    process.chdir(saved.cwd);
    for (const [key, value] of saved.env) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** The 1-based line of the first line containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split(/\r?\n/).findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`'${needle}' is not in the text`);
  return index + 1;
}

/** Refused (exit 1) with an error of this code at this place (`file` as printed: `desired-state/hr/roster.csv`). */
export function expectRefused(outcome: Outcome, want: { code: string; file: string; line?: number }): void {
  const context = `exit ${outcome.code}\n${outcome.result.stderr}\n${outcome.result.stdout}`;
  expect(outcome.code, context).toBe(1);
  const place = { severity: "error", code: want.code, file: want.file, ...(want.line === undefined ? {} : { line: want.line }) };
  expect(outcome.findings, context).toContainEqual(expect.objectContaining(place));
}
