import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { InventoryDocument } from "../model/inventory.js";
import type { Attestation, OffboardingProof } from "../model/offboarding.js";
import type { AppliedDocument, Manifest, PlanDocument } from "../model/plan.js";
import { jsonChunks } from "./json-chunks.js";
import { htmlPages, renderHtml } from "./render-html.js";
import { renderMarkdown } from "./render-md.js";

/** evidence/<stack>/<UTC timestamp>/: one folder per run, sortable by time. */
export function bundleDir(projectDir: string, stack: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return path.join(projectDir, "evidence", stack, stamp);
}

/** files.json: the files of a bundle and their hashes, so `evidence verify` can tell if any byte changed. */
const BundleIndexSchema = z.object({ files: z.record(z.string(), z.string()) });
type BundleIndex = z.infer<typeof BundleIndexSchema>;

const INDEX = "files.json";

/**
 * Writes plan.json, plan.md, plan.html (with the pages a large plan's detail is split into)
 * and manifest.json, and indexes their hashes. plan.json is streamed: at 100,000 people it is
 * longer than any string V8 can hold.
 */
export async function writePlanBundle(dir: string, plan: PlanDocument): Promise<void> {
  await mkdir(dir, { recursive: true });
  const index = await openIndex(dir);
  index.files["plan.json"] = await writeStreamed(path.join(dir, "plan.json"), jsonLines(plan));
  await put(dir, index, "plan.md", renderMarkdown(plan));
  await put(dir, index, "plan.html", renderHtml(plan));
  for (const [name, content] of htmlPages(plan)) await put(dir, index, name, content);
  await put(dir, index, "manifest.json", json(plan.manifest));
  await writeFile(path.join(dir, INDEX), json(index));
}

/** Adds applied.json: each step's outcome, tied to the plan's digest. */
export async function writeApplied(dir: string, applied: AppliedDocument): Promise<void> {
  const index = await openIndex(dir);
  index.files["applied.json"] = await writeStreamed(path.join(dir, "applied.json"), jsonLines(applied));
  await writeFile(path.join(dir, INDEX), json(index));
}

/** Adds inventory.json: what the targets hold live, correlated with HR (src/inventory). */
export async function writeInventory(dir: string, inventory: InventoryDocument): Promise<void> {
  const index = await openIndex(dir);
  await put(dir, index, "inventory.json", json(inventory));
  await writeFile(path.join(dir, INDEX), json(index));
}

/**
 * Adds offboarding.json, the proof read back live after an apply, and writes plan.md and
 * plan.html again with its section (the pages beside plan.html do not show it).
 */
export async function writeOffboarding(dir: string, proof: OffboardingProof, plan: PlanDocument): Promise<void> {
  const index = await openIndex(dir);
  await put(dir, index, "offboarding.json", json(proof));
  await put(dir, index, "plan.md", renderMarkdown(plan, proof));
  await put(dir, index, "plan.html", renderHtml(plan, proof));
  await writeFile(path.join(dir, INDEX), json(index));
}

/** A bundle's files.json; throws when it is missing, not JSON or not an index. */
export async function readIndex(dir: string): Promise<BundleIndex> {
  return BundleIndexSchema.parse(JSON.parse(await readFile(path.join(dir, INDEX), "utf8")));
}

export function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** A file's sha256, streamed: a plan.json at 100,000 people is larger than any string. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Every file files.json lists that is missing or no longer hashes as recorded: what
 * `evidence verify` and the history readers (src/evidence/history.ts) both call intact.
 */
export async function indexProblems(dir: string, index: BundleIndex): Promise<{ file: string; problem: string }[]> {
  const problems: { file: string; problem: string }[] = [];
  for (const [file, expected] of Object.entries(index.files)) {
    const actual = await hashFile(path.join(dir, file)).catch(() => undefined);
    if (actual === undefined) problems.push({ file, problem: `${file} is missing` });
    else if (actual !== expected) problems.push({ file, problem: `${file} was changed after it was written (sha256 ${actual.slice(0, 12)}…, recorded ${expected.slice(0, 12)}…)` });
  }
  return problems;
}

async function openIndex(dir: string): Promise<BundleIndex> {
  return readIndex(dir).catch(() => ({ files: {} }));
}

async function put(dir: string, index: BundleIndex, name: string, content: string): Promise<void> {
  await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
  await writeFile(path.join(dir, name), content);
  index.files[name] = sha256(content);
}

/** `JSON.stringify(value, null, 2)` and a newline, in pieces. */
function* jsonLines(value: unknown): Generator<string> {
  yield* jsonChunks(value);
  yield "\n";
}

/** Writes the pieces to a file as they come, in blocks of about a megabyte; returns the file's sha256. */
async function writeStreamed(file: string, pieces: Iterable<string>): Promise<string> {
  const out = createWriteStream(file);
  const failed = new Promise<never>((_, reject) => out.once("error", reject));
  failed.catch(() => undefined);
  const hash = createHash("sha256");
  let block: string[] = [];
  let size = 0;
  const flush = async () => {
    const data = block.join("");
    block = [];
    size = 0;
    hash.update(data);
    if (!out.write(data)) await Promise.race([once(out, "drain"), failed]);
  };
  for (const piece of pieces) {
    block.push(piece);
    size += piece.length;
    if (size >= 1 << 20) await flush();
  }
  await flush();
  out.end();
  await Promise.race([once(out, "finish"), failed]);
  return hash.digest("hex");
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/**
 * An attestation folder (`rolecall attest`): attestation.json, attestation.md and
 * manifest.json, indexed in files.json like a bundle, so `evidence verify` checks it.
 */
export async function writeAttestationFolder(dir: string, attestation: Attestation, markdown: string, manifest: Manifest): Promise<void> {
  await mkdir(dir, { recursive: true });
  const index: BundleIndex = { files: {} };
  await put(dir, index, "attestation.json", json(attestation));
  await put(dir, index, "attestation.md", markdown);
  await put(dir, index, "manifest.json", json(manifest));
  await writeFile(path.join(dir, INDEX), json(index));
}
