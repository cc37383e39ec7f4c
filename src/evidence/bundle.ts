import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { OffboardingProof } from "../model/offboarding.js";
import type { AppliedDocument, PlanDocument } from "../model/plan.js";
import { renderHtml } from "./render-html.js";
import { renderMarkdown } from "./render-md.js";

/** evidence/<stack>/<UTC timestamp>/: one folder per run, sortable by time. */
export function bundleDir(projectDir: string, stack: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return path.join(projectDir, "evidence", stack, stamp);
}

/** The files of a bundle and their hashes, so `evidence verify` can tell if any byte changed. */
interface BundleIndex {
  files: Record<string, string>;
}

const INDEX = "files.json";

/** Writes plan.json, plan.md, plan.html and manifest.json, and indexes their hashes. */
export async function writePlanBundle(dir: string, plan: PlanDocument): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeIndexed(dir, {
    "plan.json": json(plan),
    "plan.md": renderMarkdown(plan),
    "plan.html": renderHtml(plan),
    "manifest.json": json(plan.manifest),
  });
}

/** Adds applied.json: each step's outcome, tied to the plan's digest. */
export async function writeApplied(dir: string, applied: AppliedDocument): Promise<void> {
  await writeIndexed(dir, { "applied.json": json(applied) });
}

/** Adds offboarding.json: the leaver fast path's proof, read back from the targets. */
export async function writeOffboarding(dir: string, proof: OffboardingProof): Promise<void> {
  await writeIndexed(dir, { "offboarding.json": json(proof) });
}

export async function readIndex(dir: string): Promise<BundleIndex> {
  return JSON.parse(await readFile(path.join(dir, INDEX), "utf8")) as BundleIndex;
}

export function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

async function writeIndexed(dir: string, files: Record<string, string>): Promise<void> {
  const index: BundleIndex = await readIndex(dir).catch(() => ({ files: {} }));
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(dir, name), content);
    index.files[name] = sha256(content);
  }
  await writeFile(path.join(dir, INDEX), json(index));
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}
