import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { grantsApprovedByAuthor } from "../../compile/grants.js";
import { indexRoles } from "../../compile/roles.js";
import { loadDesiredState } from "../../load/desired-state-dir.js";
import type { Finding } from "../../model/finding.js";
import type { Grant } from "../../model/grant.js";
import type { Inputs } from "../../model/inputs.js";
import { CODEOWNERS_PATH, generateCodeowners } from "../../review/codeowners.js";
import { findProjectDir, RefusedError } from "../context.js";
import { formatFindings } from "../findings-format.js";

/** The repository root (the project folder) and the desired-state folder relative to it. */
async function layout(dir: string): Promise<{ root: string; desiredStatePath: string }> {
  const absolute = path.resolve(dir);
  const root = await findProjectDir(absolute);
  return { root, desiredStatePath: path.relative(root, absolute).split(path.sep).join("/") };
}

/** `rolecall codeowners [--check]`: writes .github/CODEOWNERS from the role owners, or checks it is current. */
export async function codeownersCommand(opts: { dir: string; check?: boolean }): Promise<void> {
  const inputs = await loadDesiredState(path.resolve(opts.dir));
  const { root, desiredStatePath } = await layout(opts.dir);
  const { text, findings } = generateCodeowners(inputs, desiredStatePath);
  const file = path.join(root, CODEOWNERS_PATH);
  const errors = [...inputs.findings, ...findings].filter((f) => f.severity === "error");
  if (errors.length > 0) {
    process.stderr.write(formatFindings(errors, "text", opts.dir) + "\n");
    throw new RefusedError(`${errors.length} error${errors.length === 1 ? "" : "s"}; ${CODEOWNERS_PATH} was not ${opts.check ? "checked" : "written"}`);
  }
  if (opts.check) {
    const stale = await staleness(file, text, opts.dir);
    if (stale) throw new RefusedError(`${stale.message}; ${stale.hint}`);
    process.stdout.write(`${path.relative(process.cwd(), file) || file}: up to date\n`);
    return;
  }
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), file) || file}\n`);
}

/**
 * Rewrites CODEOWNERS after a change to the desired state (apply-review adds exclusion files),
 * when the repository keeps one; returns its path, or undefined when there is no github.yaml.
 */
export async function refreshCodeowners(dir: string): Promise<string | undefined> {
  const inputs = await loadDesiredState(path.resolve(dir));
  if (!inputs.github) return undefined;
  const { root, desiredStatePath } = await layout(dir);
  const file = path.join(root, CODEOWNERS_PATH);
  const { text } = generateCodeowners(inputs, desiredStatePath);
  if ((await readFile(file, "utf8").catch(() => undefined)) === text) return undefined;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function staleness(file: string, want: string, dir: string): Promise<Finding | undefined> {
  const have = await readFile(file, "utf8").catch(() => undefined);
  if (have === want) return undefined;
  const rel = path.relative(path.resolve(dir), file).split(path.sep).join("/");
  if (have === undefined) return { severity: "error", code: "codeowners-stale", message: `${CODEOWNERS_PATH} is missing: role owners would not be asked to review changes to their roles`, file: rel, hint: "run rolecall codeowners and commit the file" };
  const a = have.split("\n");
  const b = want.split("\n");
  let line = 0;
  while (line < a.length && a[line] === b[line]) line++;
  return { severity: "error", code: "codeowners-stale", message: `${CODEOWNERS_PATH} differs from what the role owners and github.yaml give (from line ${line + 1})`, file: rel, line: line + 1, hint: "run rolecall codeowners and commit the file" };
}

export interface ControlPlaneOptions {
  /** The pull request author's GitHub handle (the plan workflow passes it). */
  prAuthor?: string;
  /** The base branch's desired-state folder: grants it has unchanged are not the author's doing. */
  prBase?: string;
}

/**
 * The control plane's own checks, for `validate`: CODEOWNERS is current (when the repository
 * has github.yaml), and — in a pull request — no privileged grant is approved by its author.
 */
export async function controlPlaneFindings(dir: string, inputs: Inputs, opts: ControlPlaneOptions): Promise<Finding[]> {
  const findings: Finding[] = [];
  const github = inputs.github?.value;
  if (github) {
    const { root, desiredStatePath } = await layout(dir);
    const generated = generateCodeowners(inputs, desiredStatePath);
    findings.push(...generated.findings);
    const stale = await staleness(path.join(root, CODEOWNERS_PATH), generated.text, dir);
    if (stale) findings.push(stale);
  }
  if (opts.prAuthor !== undefined) {
    const base = opts.prBase ? await loadDesiredState(path.resolve(opts.prBase)) : undefined;
    const before = new Map((base?.grants ?? []).map((g) => [g.value.id, canonical(g.value)]));
    const unchanged = (g: Grant) => before.get(g.id) === canonical(g);
    const { index } = indexRoles(inputs.roles);
    findings.push(...grantsApprovedByAuthor(inputs.grants, index, github?.handles ?? {}, opts.prAuthor, unchanged));
  }
  return findings;
}

function canonical(grant: Grant): string {
  return JSON.stringify(Object.entries(grant).sort(([a], [b]) => (a < b ? -1 : 1)));
}
