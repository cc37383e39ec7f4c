import { readFile } from "node:fs/promises";
import path from "node:path";
import { InventoryDocumentSchema } from "../model/inventory.js";
import { AttestationSchema, OffboardingProofSchema, type ProofVerdict, type TargetVerdict } from "../model/offboarding.js";
import type { PlanDocument } from "../model/plan.js";
import { overall } from "./offboarding-proof.js";

async function readJson(dir: string, name: string): Promise<unknown> {
  return JSON.parse(await readFile(path.join(dir, name), "utf8").catch(() => "null"));
}

/** What a target's verdict must be, given what it records: anything found fails it; no read, or an unknown enabled flag where one is expected, leaves it unverified. */
function verdictOf(t: TargetVerdict): ProofVerdict {
  if (t.remaining.length > 0) return "failed";
  if (t.accounts.some((a) => t.expected === "absent" || (t.expected === "disabled" && a.active === true))) return "failed";
  if (t.checkedAt === undefined || (t.expected === "disabled" && t.accounts.some((a) => a.active === undefined))) return "unverified";
  return "proven";
}

/** Problems with the verdicts of one subject list: each one must follow from what was found. */
function verdictProblems(people: readonly { id: string; verdict: string; targets: TargetVerdict[] }[], file: string): string[] {
  const problems: string[] = [];
  for (const p of people) {
    for (const t of p.targets) if (verdictOf(t) !== t.verdict) problems.push(`${file}: ${p.id} in ${t.target} says ${t.verdict} but records what makes it ${verdictOf(t)}`);
    if (p.verdict !== "returned" && p.verdict !== overall(p.targets.map((t) => t.verdict))) problems.push(`${file}: ${p.id}'s verdict ${p.verdict} does not follow from its targets`);
  }
  return problems;
}

/**
 * An apply bundle's offboarding.json: present, of its schema, tied to this plan and stack,
 * covering every identity whose access the plan ends, its verdicts following from what it
 * found — and proven. inventory.json, when there, must be of its schema.
 */
export async function checkOffboarding(dir: string, files: Record<string, string>, plan: PlanDocument): Promise<string[]> {
  const problems: string[] = [];
  if ("inventory.json" in files && !InventoryDocumentSchema.safeParse(await readJson(dir, "inventory.json")).success) problems.push("inventory.json does not match the inventory schema");
  if (!("offboarding.json" in files)) return [...problems, "offboarding.json is missing: an apply bundle must hold the offboarding proof read back after its update"];
  const parsed = OffboardingProofSchema.safeParse(await readJson(dir, "offboarding.json"));
  if (!parsed.success) return [...problems, `offboarding.json does not match the offboarding schema (${parsed.error.issues[0]?.path.join(".") ?? ""}: ${parsed.error.issues[0]?.message ?? ""})`];
  const proof = parsed.data;
  if (proof.planDigest !== plan.digest) problems.push("offboarding.json belongs to another plan (digest differs)");
  if (proof.stack !== plan.manifest.stack) problems.push(`offboarding.json is of stack ${proof.stack}, the plan of ${plan.manifest.stack}`);
  const proved = new Set(proof.people.map((p) => p.id));
  for (const p of plan.people) if ((p.state === "leaver" || p.state === "leave" || p.state === "removed") && !proved.has(p.id)) problems.push(`offboarding.json leaves out ${p.id}, whose access the plan ends (${p.state})`);
  problems.push(...verdictProblems(proof.people, "offboarding.json"));
  const verdict = overall(proof.people.map((p) => p.verdict));
  if (proof.verdict !== verdict || proof.proven !== (verdict === "proven")) problems.push(`offboarding.json's overall verdict (${proof.verdict}, proven ${proof.proven}) does not follow from its people (${verdict})`);
  else if (!proof.proven) problems.push(`the offboarding is not proven (${proof.verdict}): ${proof.people.filter((p) => p.verdict !== "proven").map((p) => p.id).join(", ")}`);
  if (proof.readBack && !proof.readBack.proven) problems.push(`the fast path's read-back found differences: ${proof.readBack.differences.slice(0, 5).join("; ")}`);
  return problems;
}

/** An attestation folder's attestation.json: of its schema, its verdicts following from what it found — and proven. */
export async function checkAttestation(dir: string): Promise<string[]> {
  const parsed = AttestationSchema.safeParse(await readJson(dir, "attestation.json"));
  if (!parsed.success) return [`attestation.json does not match the attestation schema (${parsed.error.issues[0]?.path.join(".") ?? ""}: ${parsed.error.issues[0]?.message ?? ""})`];
  const a = parsed.data;
  const problems = verdictProblems(a.people, "attestation.json");
  const verdict = overall(a.people.filter((p) => p.verdict !== "returned").map((p) => p.verdict as ProofVerdict));
  if (a.verdict !== verdict || a.proven !== (verdict === "proven")) problems.push(`attestation.json's overall verdict (${a.verdict}, proven ${a.proven}) does not follow from its people (${verdict})`);
  else if (!a.proven) problems.push(`the attestation is not proven (${a.verdict}): ${a.people.filter((p) => p.verdict === "failed" || p.verdict === "unverified").map((p) => p.id).join(", ")}`);
  return problems;
}
