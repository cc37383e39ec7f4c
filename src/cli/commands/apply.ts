import { createInterface } from "node:readline/promises";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { EngineError } from "../../engine/errors.js";
import { errorsByUrn, nameOf } from "../../engine/failure.js";
import { preview, refresh, up } from "../../engine/operations.js";
import type { Deployment } from "@pulumi/pulumi/automation/index.js";
import { isIntegrityFailure, pendingIn, pendingOperations, releaseStaleLocks, repairIntegrity, type PendingOperation } from "../../engine/recover.js";
import { editState, exportCheckpoint, stateResources, toUnprotect } from "../../engine/state-sync.js";
import { withinState } from "../../offboard/scope.js";
import { writeApplied } from "../../evidence/bundle.js";
import { ACCOUNT_TYPES } from "../../evidence/plan-model.js";
import { appliedSteps, changingSteps, EngineRecord, stepKey } from "../../evidence/steps.js";
import { PlanDocumentSchema, type AppliedDocument, type PlanDocument, type PlanStep } from "../../model/plan.js";
import { settleRecord, type StackRecord } from "../../targets/record.js";
import type { OffboardingProof } from "../../model/offboarding.js";
import { targetNamed } from "../../targets/registry.js";
import type { DesiredState } from "../../model/desired-state.js";
import { proveAfterApply, refuseUnproven, type FastPathProof } from "../proof.js";
import { findProjectDir, NotAppliedError, progress, RefusedError } from "../context.js";
import { scopeToChanges } from "../change-scope.js";
import { makePlan, readTargets } from "../planning.js";
import { prepareStackRun, type StackRun } from "../stack-run.js";
import { readRecord, refuseOnGuardrails, writeAndShow, type PlanOptions } from "./plan.js";

export interface ApplyOptions extends PlanOptions {
  yes?: boolean;
  allowMassDeprovision?: string;
  allowMassChange?: string;
  reviewed?: string;
}

/**
 * How a run other than the full apply narrows it: `rolecall offboard` declares only
 * revocations, refuses a preview holding anything else, and proves the result.
 */
export interface ApplyMode {
  fastPath: "offboard";
  /**
   * Replaces what the run declares (run.desired, run.declared, and run.part, which also limits
   * the refresh before the preview when nothing is pending: nothing else can be written by the
   * run), once the stack's record is read.
   */
  narrow(run: StackRun): void;
  /** Throws when the preview holds what this mode must not apply. */
  check(plan: PlanDocument): void;
  /**
   * The update is limited to the resources the plan changes (Pulumi's --target): nothing else
   * is diffed, refreshed or deleted, so the engine's work follows the change, not the company,
   * and a step the plan did not show cannot happen at all.
   */
  onlyPlanned: boolean;
  /** After a successful update: the mode's own read-back of the resources it wrote, folded into the bundle's offboarding proof. */
  readBack(run: StackRun, written: readonly string[]): Promise<FastPathProof>;
}

/**
 * `rolecall apply`: recover what an interrupted run left, refresh once from the targets,
 * preview, check the guardrails, write the evidence, confirm, then apply — only if a fresh
 * preview still matches the plan shown (and the reviewed one, if given). The real outcome of
 * every step goes into applied.json, also when the update fails.
 */
export async function applyCommand(opts: ApplyOptions): Promise<void> {
  const projectDir = await findProjectDir();
  const run = await prepareStackRun(projectDir, opts.stack, "apply");
  try {
    await apply(run, projectDir, opts);
  } finally {
    await run.log.close();
  }
}

export async function apply(run: StackRun, projectDir: string, opts: ApplyOptions, mode?: ApplyMode): Promise<void> {
  // The run's one export serves both: refresh clears pending operations and drops what the
  // targets no longer hold, but never changes a resource's protect flag.
  const before = run.exported;
  // The record is a stack output, which a refresh leaves as it is: a mode narrows from it first,
  // so it can tell the refresh which resources matter.
  run.previous = readRecord(run);
  mode?.narrow(run);
  const pending = pendingIn(before);
  // A full run reads the targets first: what changed decides what the refresh reads.
  const scoping = { refreshingPreview: false, everyResource: opts.everyResource === true };
  const read = mode ? undefined : await readTargets(run, projectDir, before, scoping);
  // The refresh reads only what the run may change, of what the state holds (creates are not
  // there yet); nothing when the live read found all of that as the state has it.
  const inState = new Set(stateResources(before).map((r) => r.urn));
  const scope = pending.length === 0 && (mode || run.part) ? (run.part?.drift === false ? [] : [...(run.part?.urns ?? []), ...(run.part?.refreshOnly ?? [])].filter((u) => inState.has(u))) : undefined;
  const recovered = [...run.recovered, ...(await resolvePending(run, pending, scope))];
  // An empty scope refreshes nothing (the live read matched the state); no scope refreshes everything.
  const refreshedHere = scope?.length !== 0;
  if (run.part) {
    // Nothing refreshed: the run's one export still holds.
    const refreshed = refreshedHere ? await exportCheckpoint(run.stack) : before;
    // What the refresh found gone from a target is gone from the state: a full run judges its changes again on what is left.
    if (mode) run.part = withinState(run.part, stateResources(refreshed));
    if (mode) await run.readTargetState(refreshed);
    else if (refreshed !== before) await scopeToChanges(run, refreshed, read!.live, { ...scoping, refreshed: true });
    // Judged whole after a refresh of part of it: the rest is refreshed too before any preview.
    if (!run.part) {
      recovered.push(...(await resolvePending(run, [], undefined)));
      await run.readTargetState();
    }
  } else await run.readTargetState();
  const overrides = {
    ...(opts.allowMassDeprovision ? { override: opts.allowMassDeprovision } : {}),
    ...(opts.allowMassChange ? { changeOverride: opts.allowMassChange } : {}),
    ...(mode ? { fastPath: mode.fastPath } : {}),
  };
  const { plan, record } = await makePlan(run, projectDir, { refresh: false, ...overrides, ...(read ? { read: read.inventory } : {}) });
  const dir = await writeAndShow(projectDir, opts, plan);
  refuseOnGuardrails(plan, "nothing was applied");
  mode?.check(plan);
  if (opts.reviewed) await matchReviewed(plan, opts.reviewed);

  const changes = changingSteps(plan.steps).length;
  const protects = record.protects;
  if (changes === 0 && protects.length === 0) {
    // An apply stopped after its update but before writing its record leaves it behind.
    const { recorded, proof } = await recordAndProve(run, run.declared, () => proveAfterApply(run, projectDir, dir, plan, run.declared));
    if (recorded) progress("brought the stack's record of what it holds up to date");
    refuseUnproven(proof, dir);
    return;
  }
  if (!opts.yes) {
    // A protect flag changing alone grants or revokes nothing, but it changes what a later run
    // may delete: it is asked for like any other change.
    const pending = changes + protects.length;
    if (!(await confirm("Apply these changes?"))) {
      throw new NotAppliedError(`nothing was applied: ${pending} change${pending === 1 ? " is" : "s are"} pending (pass --yes to apply unattended)`);
    }
    // Someone may have applied while the question waited; unattended, no time passes here,
    // and the check after the update below still refuses any step the plan did not show.
    // Judged on the state this run refreshed, as the plan was: an account to delete that the list
    // read misses was refreshed and kept, and is deleted, not put back to be refreshed again.
    const again = mode ? undefined : await readTargets(run, projectDir, await exportCheckpoint(run.stack), { ...scoping, refreshed: refreshedHere });
    const fresh = await makePlan(run, projectDir, { refresh: false, ...overrides, ...(again ? { read: again.inventory } : {}) });
    if (fresh.plan.digest !== plan.digest) {
      throw new RefusedError("the targets or inputs changed since this plan was made (a fresh preview differs); nothing was applied — run apply again to review the new plan");
    }
  }
  await unprotectPerPolicy(run, before);

  progress(`applying stack ${opts.stack}…`);
  const log = path.relative(projectDir, run.log.file);
  const started: AppliedDocument = { schemaVersion: 1, planDigest: plan.digest, startedAt: new Date().toISOString(), result: "started", log, ...(recovered.length ? { recovered } : {}), steps: [] };
  await writeApplied(dir, started);
  const update = new EngineRecord();
  const changing = changingSteps(plan.steps);
  // A run declaring part of the state is limited to it (an untargeted update would delete all it
  // left undeclared), and updates all of it, unchanged items too: an item the program declares
  // but the update leaves out keeps its old state, whose dependencies on the members it no
  // longer declares would then come after it in the snapshot.
  const only = mode?.onlyPlanned || run.part ? { urns: [...new Set([...changing.map((s) => s.urn), ...protects, ...(run.part?.urns ?? [])])] } : undefined;
  const first = await up(run.stack, run.log, progress, update.add, only);
  const error = first.error ? await applyStranded(run, changing, update, first.error, recovered) : undefined;
  const readBack = error ? await readBackAfterFailure(run, recovered, new Set(changing.filter((s) => s.op === "create").map((s) => s.urn))) : undefined;
  const steps = appliedSteps(plan.steps, update, errorsByUrn(update.diagnostics), readBack);
  const applied: AppliedDocument = { ...started, finishedAt: new Date().toISOString(), result: error ? "failed" : "succeeded", ...(error ? { error: error.causes.join("\n") } : {}), ...(recovered.length ? { recovered } : {}), steps };
  await writeApplied(dir, applied);

  const byUrn = new Map<string, PlanStep>([...plan.steps, ...update.steps].map((s) => [s.urn, s]));
  const unsettled = steps.filter((s) => s.outcome !== "done").map((s) => ({ target: byUrn.get(s.urn)?.target ?? "", name: byUrn.get(s.urn)?.name ?? "", account: ACCOUNT_TYPES.has(byUrn.get(s.urn)?.type ?? "") }));
  const held = settleRecord(run.previous, run.declared, unsettled);
  const done = steps.filter((s) => s.outcome === "done").length;
  // The proof is made after a failed update too: the auditor sees who is out despite it.
  const { proof } = await recordAndProve(run, held, async () => proveAfterApply(run, projectDir, dir, plan, held, error ? undefined : await mode?.readBack(run, written(changing))));
  if (error) {
    const open = steps.filter((s) => s.outcome !== "done");
    throw new EngineError(
      `the update failed: ${done} of ${steps.length} steps done, ${open.length} not (${open.map((s) => `${s.outcome} ${s.op} ${nameOf(s.urn)}`).slice(0, 10).join(", ")}${open.length > 10 ? ", …" : ""}); every step's outcome is in ${path.relative(process.cwd(), path.join(dir, "applied.json"))}`,
      error.causes,
      run.log.file,
      "update",
    );
  }
  const planned = new Set(plan.steps.map((p) => `${p.op} ${p.urn}`));
  const unplanned = steps.filter((s) => !planned.has(`${s.op} ${s.urn}`));
  if (unplanned.length > 0) throw new RefusedError(`the update did steps the plan did not show: ${unplanned.map((s) => `${s.op} ${s.urn}`).join(", ")}`);
  if (protects.length > 0) progress(`protection now follows policy.yaml for ${protects.map(nameOf).join(", ")}`);
  process.stdout.write(`\nApplied to stack ${opts.stack}: ${done} steps done. Evidence: ${path.relative(process.cwd(), dir)}\n`);
  refuseUnproven(proof, dir);
}

/**
 * Under continue-on-error the engine skips every step that depends on a failed one: a rename
 * refused by the target leaves each group holding that person un-updated, and with it every
 * leaver's removal from those groups. The planned steps the update neither did nor failed are
 * applied again on their own (Pulumi's --target): the failed resource is then not part of the
 * update, its last applied state stands in for it, and the groups are written. Only planned
 * steps run, so nothing the plan did not show can happen; what still fails is the caller's to
 * report, with both updates' causes.
 */
async function applyStranded(run: StackRun, changing: readonly PlanStep[], update: EngineRecord, error: EngineError, recovered: string[]): Promise<EngineError> {
  const failed = new Set([...errorsByUrn(update.diagnostics).keys(), ...changing.filter((s) => update.failed.has(stepKey(s))).map((s) => s.urn)]);
  const stranded = [...new Set(changing.filter((s) => !update.done.has(stepKey(s)) && !failed.has(s.urn)).map((s) => s.urn))];
  if (stranded.length === 0) return error;
  const line = `the update failed on ${failed.size} resource${failed.size === 1 ? "" : "s"} (${[...failed].map(nameOf).slice(0, 5).join(", ")}${failed.size > 5 ? ", …" : ""}); applying the ${stranded.length} planned step${stranded.length === 1 ? "" : "s"} it skipped because of ${failed.size === 1 ? "it" : "them"} on their own`;
  progress(line);
  run.log.note(line);
  // An account whose create failed has no id for its groups to hold, and the engine refuses a
  // targeted step that depends on a create it is not doing: the second pass declares the run's
  // state without those accounts, so their groups are written without them (they stay gains of
  // the next plan) and every other member's change, a leaver's removal above all, goes through.
  const notCreated = changing.filter((s) => s.op === "create" && ACCOUNT_TYPES.has(s.type) && failed.has(s.urn));
  const declared = run.desired;
  if (notCreated.length > 0) run.desired = withoutAccounts(declared, notCreated);
  try {
    // With part of the state declared, the rest of that part goes too, for the reason in apply(),
    // less what the first pass deleted: the engine refuses a target it cannot find.
    const creates = new Set(changing.filter((s) => s.op === "create").map((s) => s.urn));
    const urns = await targetable(run, [...new Set([...stranded, ...(run.part?.urns ?? []).filter((u) => !failed.has(u))])], creates);
    let second = await up(run.stack, run.log, progress, update.add, { urns });
    if (second.error && isIntegrityFailure(second.error)) {
      noteRecovered(run, recovered, await repairIntegrity(run.stack));
      second = await up(run.stack, run.log, progress, update.add, { urns });
    }
    return new EngineError(error.message, [...error.causes, ...(second.error?.causes ?? [])], error.logFile, "update");
  } finally {
    run.desired = declared;
  }
}

/** The desired state without some targets' accounts, in their projections and every item's holders. */
function withoutAccounts(desired: DesiredState, steps: readonly PlanStep[]): DesiredState {
  const targets: Record<string, unknown> = { ...desired.targets };
  for (const target of new Set(steps.map((s) => s.target))) {
    const gone = new Set(steps.filter((s) => s.target === target).map((s) => s.name));
    const projection = targets[target] as (Record<string, unknown> & { users: { key: string }[] }) | undefined;
    if (!projection) continue;
    const narrowed: Record<string, unknown> = { ...projection, users: projection.users.filter((u) => !gone.has(u.key)) };
    for (const { field } of targetNamed(target)?.held ?? []) {
      const items = projection[field] as { members: { user: string }[] }[] | undefined;
      if (items) narrowed[field] = items.map((item) => ({ ...item, members: item.members.filter((m) => !gone.has(m.user)) }));
    }
    targets[target] = targetNamed(target)!.withoutDangling(narrowed);
  }
  return { ...desired, targets: targets as DesiredState["targets"] };
}

/** The resources an update wrote that still exist after it: what can be read back. */
function written(steps: readonly PlanStep[]): string[] {
  return [...new Set(steps.filter((s) => s.op !== "delete").map((s) => s.urn))];
}

/**
 * Operations an interrupted update (a killed rolecall, engine or provider) left pending are
 * resolved against what the targets hold: one refresh reads every resource back, and pending
 * creates are dropped so the update creates them again — the provider adopts whatever the
 * interrupted create had already made. The one refresh apply does anyway.
 */
async function resolvePending(run: StackRun, pending: PendingOperation[], scope?: readonly string[]): Promise<string[]> {
  const repaired: string[] = [];
  if (scope?.length === 0) return repaired;
  progress(scope ? `refreshing from the targets the ${scope.length} resource${scope.length === 1 ? "" : "s"} this run may change…` : "refreshing the state from the targets…");
  const refreshOnce = () => refresh(run.stack, run.log, progress, { clearPendingCreates: pending.some((p) => p.type === "creating"), ...(scope ? { only: { urns: scope } } : {}) });
  try {
    await refreshOnce();
  } catch (error) {
    if (!isIntegrityFailure(error)) throw error;
    noteRecovered(run, repaired, await repairIntegrity(run.stack));
    await refreshOnce();
  }
  if (pending.length === 0) return repaired;
  const left = await pendingOperations(run.stack);
  if (left.length > 0) throw new EngineError("pending operations remain after a refresh", left.map((p) => `${p.type} ${nameOf(p.urn)}`), run.log.file, "environment");
  const what = pending.map((p) => `${p.type} ${nameOf(p.urn)}`);
  const line = `an interrupted update had left ${pending.length} operation${pending.length === 1 ? "" : "s"} pending (${what.slice(0, 8).join(", ")}${what.length > 8 ? ", …" : ""}); refreshed from the targets and cleared them${pending.some((p) => p.type === "creating") ? " — interrupted creates are made again, adopting what the target already holds" : ""}`;
  noteRecovered(run, repaired, [line]);
  return repaired;
}

/** Says and logs each thing recovered, and keeps it for applied.json's `recovered`. */
function noteRecovered(run: StackRun, into: string[], lines: readonly string[]): void {
  for (const line of lines) {
    progress(`recovered: ${line}`);
    run.log.note(`recovered: ${line}`);
    into.push(line);
  }
}

/** Takes `protect` off resources whose person a reviewed policy change took off the protected list. */
async function unprotectPerPolicy(run: StackRun, exported: Deployment): Promise<void> {
  const identities = new Set([...run.desired.people.map((p) => p.id), ...Object.keys(run.previous?.accounts ?? {}), ...Object.keys(run.declared.accounts)]);
  const urns = toUnprotect(stateResources(exported), new Set(run.policy.protected), identities);
  if (urns.length === 0) return;
  await editState(run.stack, { unprotect: urns });
  progress(`unprotected ${urns.map(nameOf).join(", ")}: policy.yaml no longer protects them`);
}

/**
 * After a failed update: a refreshing preview, to tell steps whose write happened from those
 * still missing. An engine that crashed leaves its lock (and perhaps a checkpoint failing its
 * integrity check) behind; both are put right first, and said so.
 */
async function readBackAfterFailure(run: StackRun, recovered: string[], creates: ReadonlySet<string>): Promise<PlanStep[] | undefined> {
  progress("the update failed; reading the targets back to record what was really done…");
  if (run.backend) noteRecovered(run, recovered, await releaseStaleLocks(run.backend));
  const readBack = async () => {
    const record = new EngineRecord();
    const part = run.part;
    if (part?.creates) {
      // A refreshing preview can only be limited to what the state holds, and a create that
      // failed is not there: the part's resources are refreshed first, then previewed, less what
      // the update deleted (the engine refuses a target it cannot find).
      const existing = await targetable(run, part.urns, new Set());
      if (existing.length > 0) await refresh(run.stack, run.log, progress, { clearPendingCreates: false, only: { urns: existing } });
      const urns = await targetable(run, part.urns, creates);
      if (urns.length > 0) await preview(run.stack, run.log, progress, { refresh: false, onEvent: record.add, only: { urns } });
    } else await preview(run.stack, run.log, progress, { refresh: true, onEvent: record.add, ...(part ? { only: part } : {}) });
    return record.steps;
  };
  try {
    return await readBack();
  } catch (error) {
    if (!isIntegrityFailure(error)) return undefined;
    noteRecovered(run, recovered, await repairIntegrity(run.stack));
    return readBack().catch(() => undefined);
  }
}

/** Of these URNs, those the engine can still target: in the state now, or to be created. */
async function targetable(run: StackRun, urns: readonly string[], creates: ReadonlySet<string>): Promise<string[]> {
  const held = new Set(stateResources(await exportCheckpoint(run.stack)).map((r) => r.urn));
  return urns.filter((u) => held.has(u) || creates.has(u));
}

/** Refuses unless this preview does exactly what a reviewed plan (a bundle or its plan.json) showed. */
async function matchReviewed(plan: PlanDocument, reviewed: string): Promise<void> {
  const file = reviewed.endsWith(".json") ? reviewed : path.join(reviewed, "plan.json");
  const parsed = PlanDocumentSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) throw new RefusedError(`${file} is not a rolecall plan`);
  if (parsed.data.digest !== plan.digest) {
    throw new RefusedError(`this preview differs from the reviewed plan in ${file} (digest ${plan.digest.slice(0, 12)}… vs ${parsed.data.digest.slice(0, 12)}…); nothing was applied`);
  }
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    progress("not a terminal and no --yes: nothing is applied");
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/**
 * Writes the stack's record and proves the apply at once: the proof reads the targets and the
 * stack's configuration, never the checkpoint the record goes into (the import holds the
 * stack's lock; reading config takes none). Both finish before either's failure is raised, so
 * a record that could not be written still leaves its proof in the bundle.
 */
async function recordAndProve(run: StackRun, record: StackRecord, prove: () => Promise<OffboardingProof>): Promise<{ recorded: boolean; proof: OffboardingProof }> {
  const [recorded, proof] = await Promise.allSettled([editState(run.stack, { record, accountsFirst: ACCOUNT_TYPES }), prove()]);
  if (recorded.status === "rejected") throw recorded.reason;
  if (proof.status === "rejected") throw proof.reason;
  return { recorded: recorded.value, proof: proof.value };
}
