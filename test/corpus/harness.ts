/**
 * The hostile-input corpus: each case is the sample project with one thing broken, run
 * through the CLI as a user would, asserting the exit code and each finding's code and exact
 * place — never the wording. Cases need no engine: `validate` refuses before one starts.
 */
import { expect } from "vitest";
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
  const result = await project.run("validate", "--format", "json", ...withAsOf);
  let findings: Finding[] = [];
  try {
    findings = JSON.parse(result.stdout) as Finding[];
  } catch {
    // Not JSON: the assertion below shows the CLI's own output.
  }
  return { code: result.code, findings, result };
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
