/**
 * Cases of the meaning-side corpus: one edit of the sample project, the code expected and
 * where. One project per suite; each case writes its edit, runs `validate`, and puts the
 * files back, so cases cannot leak into each other.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TempProject } from "../e2e/support/project.js";
import { expectRefused, lineOf, sampleProject, validate, type Outcome } from "./harness.js";

/** A project file's new text, from its old one ("" when the file did not exist). */
export type Edit = (text: string) => string;

export interface Case {
  name: string;
  /** Files to change, relative to the project (`desired-state/policy.yaml`, `stacks/Pulumi.cloud.yaml`). */
  edits: Record<string, Edit>;
  code: string;
  /** The file the finding names, relative to the project. */
  file: string;
  /** The line, found in the edited text of `file` by a needle (the first line holding it). */
  at: string;
  /** Refused (the default), or accepted with a warning: history that no longer decides access. */
  severity?: "error" | "warning";
  args?: string[];
}

export const POLICY = "desired-state/policy.yaml";
export const ROSTER = "desired-state/hr/roster.csv";
export const CATALOG = "desired-state/catalog.yaml";
export const GRANTS = "desired-state/grants/2026-q4.yaml";
export const ACCOUNTS = "desired-state/service-accounts/integrations.yaml";
export const WORKFORCE = "desired-state/roles/workforce.yaml";
export const DEPARTMENTS_RULES = "desired-state/rules/departments.yaml";
export const LOCAL_STACK = "stacks/Pulumi.local.yaml";
export const CLOUD_STACK = "stacks/Pulumi.cloud.yaml";

/** Replaces exactly one occurrence, so a case fails loudly when the sample changes under it. */
export const replace = (from: string, to: string): Edit => (text) => {
  const index = text.indexOf(from);
  if (index < 0 || text.indexOf(from, index + 1) >= 0) throw new Error(`'${from}' must occur exactly once`);
  return text.slice(0, index) + to + text.slice(index + from.length);
};
/** Appends lines in the file's own line ending (the sample roster is CRLF, as HR systems export it). */
export const append = (lines: string): Edit => (text) => {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  return `${text.replace(/(\r?\n)?$/, eol)}${lines.split("\n").join(eol)}${eol}`;
};
/** A stack switching on the cloud targets (their limits), provisioning the sample folder. */
export const cloudStack = (targets: string): Edit => () => `config:\n  rolecall:desiredState: desired-state\n  rolecall:targets:\n${targets}`;
export const OKTA = "    okta: {}\n";
export const AZUREAD = "    azuread:\n      tenantId: 00000000-0000-0000-0000-000000000000\n";
export const AWS = "    aws:\n      region: eu-central-1\n      identityStoreId: d-1234567890\n      instanceArn: arn:aws:sso:::instance/ssoins-1234567890abcdef\n";

/** A roster row with the sample's columns. */
export const row = (cells: { id: string; given: string; family: string; preferred?: string; email?: string; dept?: string; type?: string; status?: string; start: string; end?: string; manager?: string }) =>
  [cells.id, cells.given, cells.family, cells.preferred ?? "", cells.email ?? "", cells.dept ?? "Sales", "CC-300", "London", "Account Executive", cells.manager ?? "W1003", cells.type ?? "Employee", cells.status ?? "Active", cells.start, cells.end ?? ""].join(",");

async function apply(project: TempProject, c: Case): Promise<{ outcome: Outcome; texts: Record<string, string> }> {
  const originals: Record<string, string | undefined> = {};
  const texts: Record<string, string> = {};
  try {
    for (const [rel, edit] of Object.entries(c.edits)) {
      const file = path.join(project.dir, rel);
      originals[rel] = await readFile(file, "utf8").catch(() => undefined);
      texts[rel] = edit(originals[rel] ?? "");
      await writeFile(file, texts[rel]);
    }
    return { outcome: await validate(project, ...(c.args ?? [])), texts };
  } finally {
    for (const [rel, text] of Object.entries(originals)) {
      const file = path.join(project.dir, rel);
      if (text === undefined) await rm(file, { force: true });
      else await writeFile(file, text);
    }
  }
}

/** One `it` per case, in one suite sharing one copy of the sample. */
export function corpus(title: string, cases: Case[]): void {
  describe(title, () => {
    let project: TempProject;
    beforeAll(async () => {
      project = await sampleProject();
    });
    afterAll(() => project.remove());

    it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
      const { outcome, texts } = await apply(project, c);
      const line = lineOf(texts[c.file] ?? (await readFile(path.join(project.dir, c.file), "utf8")), c.at);
      if ((c.severity ?? "error") === "error") {
        expectRefused(outcome, { code: c.code, file: c.file, line });
      } else {
        expect(outcome.code, outcome.result.stderr).toBe(0);
        expect(outcome.findings).toContainEqual(expect.objectContaining({ severity: "warning", code: c.code, file: c.file, line }));
      }
      // Each case is one CLI run; on a loaded machine that is tens of seconds.
    }, 180_000);
  });
}
