import { readFile } from "node:fs/promises";
import path from "node:path";
import { AppliedDocumentSchema, ManifestSchema, PlanDocumentSchema, type Manifest } from "../model/plan.js";
import { indexProblems, readIndex, sha256 } from "./bundle.js";
import { checkAttestation, checkOffboarding } from "./offboarding-verify.js";
import { planDigest } from "./plan-model.js";
import { changingSteps } from "./steps.js";

/**
 * Checks an evidence bundle: every file is byte-for-byte what was written, the inputs in the
 * project still hash as recorded, the plan's digest matches its own steps, and — after an
 * apply — what was applied is exactly what was planned and offboarding.json proves every
 * identity whose access the plan ended gone. An attestation folder (`rolecall attest`) is
 * checked likewise against its own document. Returns the problems; none means
 * the bundle holds.
 */
export async function verifyBundle(dir: string, projectDir: string): Promise<string[]> {
  const problems: string[] = [];
  let index;
  try {
    index = await readIndex(dir);
  } catch {
    return [`${dir} is not an evidence bundle (no files.json)`];
  }
  problems.push(...(await indexProblems(dir, index)).map((p) => p.problem));

  if ("attestation.json" in index.files) {
    // An attestation folder (rolecall attest): no plan, its own document and manifest.
    const manifest = ManifestSchema.safeParse(JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8").catch(() => "null")));
    if (!manifest.success) return [...problems, "manifest.json does not match the manifest schema"];
    return [...problems, ...(await checkInputs(manifest.data, projectDir)), ...(await checkAttestation(dir))];
  }
  const plan = PlanDocumentSchema.safeParse(JSON.parse(await readFile(path.join(dir, "plan.json"), "utf8").catch(() => "null")));
  if (!plan.success) return [...problems, "plan.json does not match the plan schema"];
  problems.push(...(await checkInputs(plan.data.manifest, projectDir)));
  if (planDigest(changingSteps(plan.data.steps), plan.data.people) !== plan.data.digest) problems.push("plan.json's digest does not match its steps");

  if (!("applied.json" in index.files)) return problems;
  const applied = AppliedDocumentSchema.safeParse(JSON.parse(await readFile(path.join(dir, "applied.json"), "utf8").catch(() => "null")));
  if (!applied.success) return [...problems, "applied.json does not match the applied schema"];
  if (applied.data.planDigest !== plan.data.digest) problems.push("applied.json belongs to another plan (digest differs)");
  const key = (s: { urn: string; op: string }) => `${s.op} ${s.urn}`;
  const planned = new Set(changingSteps(plan.data.steps).map(key));
  const done = new Set(applied.data.steps.filter((s) => s.outcome === "done").map(key));
  if (applied.data.result !== "started") for (const s of planned) if (!done.has(s)) problems.push(`planned but not applied: ${s}`);
  for (const s of done) if (!planned.has(s)) problems.push(`applied but not planned: ${s}`);
  if (applied.data.result === "started") problems.push(`the apply started at ${applied.data.startedAt} and never recorded its end: it was interrupted, and what it did is not known from this bundle`);
  else if (applied.data.result !== "succeeded") problems.push(`the apply ${applied.data.result}${applied.data.error ? `: ${applied.data.error}` : ""}`);
  if (applied.data.result !== "started") problems.push(...(await checkOffboarding(dir, index.files, plan.data)));
  return problems;
}

async function checkInputs(manifest: Manifest, projectDir: string): Promise<string[]> {
  const problems: string[] = [];
  const base = path.join(projectDir, manifest.desiredState);
  for (const input of manifest.inputs) {
    const actual = await readFile(path.join(base, input.path)).then(sha256, () => undefined);
    if (actual === undefined) problems.push(`input ${manifest.desiredState}/${input.path} is missing`);
    else if (actual !== input.sha256) problems.push(`input ${manifest.desiredState}/${input.path} differs from the one planned with`);
  }
  return problems;
}
