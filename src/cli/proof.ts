import path from "node:path";
import { writeInventory, writeOffboarding } from "../evidence/bundle.js";
import { declaredIn, judge, notProvenLines, overall, subjectsOf, type ProofTarget, type Subject } from "../evidence/offboarding-proof.js";
import { proofText } from "../evidence/offboarding-render.js";
import type { LiveRead } from "../model/inventory.js";
import type { OffboardingProof, ProofSubject } from "../model/offboarding.js";
import type { PlanDocument } from "../model/plan.js";
import type { StackRecord } from "../targets/record.js";
import { inventoryOf } from "./commands/inventory.js";
import { NotProvenError, progress, RefusedError } from "./context.js";
import type { StackRun } from "./stack-run.js";

/** What the leaver fast path adds to the proof: its own read-back and what it revoked. */
export interface FastPathProof {
  readBack: NonNullable<OffboardingProof["readBack"]>;
  revoked: Record<string, NonNullable<ProofSubject["revoked"]>>;
}

const METHOD =
  "after the update, every enabled target was read live (every account, group and held item, paged to the end); each identity whose access ended in the run must have no account there — or only a disabled one where the desired state keeps it — matched by externalId (its key), login or email, and hold nothing the desired state does not still give it";

/** What the targets are read as: the record the apply wrote, knowing also who was in the record before it (someone gone from the roster is a leaver, not an orphan). */
function recordAfter(previous: StackRecord | undefined, held: StackRecord): StackRecord {
  return { ...held, accounts: { ...previous?.accounts, ...held.accounts } };
}

/** Reads every enabled target once: the same read goes into the bundle's inventory.json (when `bundle` is given) and the proof. */
export async function readTargetsLive(run: StackRun, projectDir: string, record: StackRecord | undefined, bundle?: string): Promise<ProofTarget[]> {
  const enabled = Object.keys(run.settings.targets);
  let live: LiveRead[] = [];
  let unread = new Map<string, string>();
  try {
    const inventory = await inventoryOf(run, projectDir, record);
    if (bundle) await writeInventory(bundle, inventory.document);
    live = inventory.live;
    unread = new Map(inventory.document.unread.map((u) => [u.target, u.reason]));
  } catch (error) {
    // The message's first line only: a target's error can carry a response body.
    const why = `the live read failed: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 300)}`;
    progress(why);
    unread = new Map(enabled.map((t) => [t, why]));
  }
  return enabled.map((target) => {
    const read = live.find((l) => l.target === target);
    return { target, ...declaredIn(run.desired, target), ...(read ? { live: read.directory, readAt: read.readAt } : { unread: unread.get(target) ?? "not read" }) };
  });
}

/** The proof document for these subjects against the targets as read. */
export function proofDocument(stack: string, plan: PlanDocument, subjects: readonly Subject[], targets: readonly ProofTarget[], fast?: FastPathProof): OffboardingProof {
  const people = judge(subjects, targets).map((p) => (fast?.revoked[p.id] ? { ...p, revoked: fast.revoked[p.id]! } : p));
  const verdict = overall(people.map((p) => p.verdict));
  const checked = targets.map((t) => t.readAt).filter((t): t is string => t !== undefined).sort();
  return {
    schemaVersion: 2,
    stack,
    planDigest: plan.digest,
    checkedAt: checked.at(-1) ?? new Date().toISOString(),
    method: METHOD,
    verdict,
    proven: verdict === "proven",
    unread: targets.filter((t) => !t.live).map((t) => ({ target: t.target, reason: t.unread ?? "not read" })),
    people,
    ...(fast ? { readBack: fast.readBack } : {}),
  };
}

/**
 * After every apply (the full run and the fast path alike, a failed update too): reads the
 * targets live once, writes inventory.json and offboarding.json (with its section in plan.md
 * and plan.html) and prints the verdict. `refuseUnproven` then fails the run if need be.
 */
export async function proveAfterApply(run: StackRun, projectDir: string, dir: string, plan: PlanDocument, held: StackRecord, fast?: FastPathProof): Promise<OffboardingProof> {
  const subjects = subjectsOf(plan.people, run.desired, run.previous);
  if (subjects.length > 0) progress(`reading every enabled target live to prove the offboarding of ${subjects.length} ${subjects.length === 1 ? "identity" : "identities"}…`);
  const targets = await readTargetsLive(run, projectDir, recordAfter(run.previous, held), dir);
  const proof = proofDocument(run.stackName, plan, subjects, targets, fast);
  await writeOffboarding(dir, proof, plan);
  process.stdout.write(proofText(proof, path.relative(process.cwd(), path.join(dir, "offboarding.json"))).join("\n") + "\n");
  return proof;
}

/** Fails the run when the proof does not hold: someone still holds access (5), a target could not be read for someone (6), or the fast path's read-back differs (1). */
export function refuseUnproven(proof: OffboardingProof, dir: string): void {
  const file = path.relative(process.cwd(), path.join(dir, "offboarding.json"));
  const lines = notProvenLines(proof.people);
  const shown = lines.slice(0, 10).join("; ") + (lines.length > 10 ? `; … and ${lines.length - 10} more` : "");
  if (proof.verdict === "failed") throw new NotProvenError(`offboarding not proven — access remains after the apply: ${shown}; see ${file}`, "failed");
  if (proof.verdict === "unverified") throw new NotProvenError(`offboarding unverified — a target could not be read live: ${shown}; see ${file}`, "unverified");
  if (proof.readBack && !proof.readBack.proven) throw new RefusedError(`the targets do not read back as offboarded (${proof.readBack.differences.slice(0, 5).join("; ")}); see ${file}`);
}
