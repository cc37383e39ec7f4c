import path from "node:path";
import { createRequire } from "node:module";
import { EngineError } from "../engine/errors.js";
import { errorsByUrn } from "../engine/failure.js";
import { checkGuardrails } from "../engine/guardrails.js";
import { preview } from "../engine/operations.js";
import { PULUMI_VERSION } from "../engine/pulumi-version.js";
import { gatherManifest } from "../evidence/manifest.js";
import { buildPlan } from "../evidence/plan-model.js";
import { EngineRecord } from "../evidence/steps.js";
import { driftReports } from "../targets/drift.js";
import type { PlanDocument } from "../model/plan.js";
import type { Deployment } from "@pulumi/pulumi/automation/index.js";
import type { InventoryDocument, LiveRead } from "../model/inventory.js";
import { scopeToChanges, type ScopeOptions } from "./change-scope.js";
import { decideAdoptionFor } from "./adoption-run.js";
import { progress, RefusedError } from "./context.js";
import { formatFindings } from "./findings-format.js";
import type { StackRun } from "./stack-run.js";

const { version: ROLECALL_VERSION } = createRequire(import.meta.url)("../../package.json") as { version: string };

/** The engine's words when a step would delete a resource whose state is protected (pkg/resource/deploy/step.go). */
const DELETE_PROTECTED = /cannot be deleted because it is protected/;

export interface Planned {
  plan: PlanDocument;
  /** The live inventory the run's adoption was decided from (absent on the leaver fast path, which adopts nothing). */
  inventory?: InventoryDocument;
  /** What the preview's events held (protect changes are visible only there). */
  record: EngineRecord;
}

/**
 * Previews the stack and turns the result into the plan document: people-centric changes,
 * guardrail verdicts, and the manifest of what it was computed from.
 */
export async function makePlan(run: StackRun, projectDir: string, opts: { refresh: boolean; override?: string; changeOverride?: string; fastPath?: "offboard"; read?: InventoryDocument; everyResource?: boolean }): Promise<Planned> {
  // `read`: the targets were read and the run scoped already (apply, before its refresh).
  const inventory = opts.fastPath ? undefined : (opts.read ?? (await readTargets(run, projectDir, run.exported, { refreshingPreview: opts.refresh, everyResource: opts.everyResource === true })).inventory);
  const record = await previewAllowingProtectedDeletes(run);
  showDrift(run, record);
  const targets = Object.keys(run.settings.targets);
  const core = buildPlan(record.steps, run.desired, run.previous, targets, record.counts, run.adoption, namesOf(record, inventory));
  const manifest = await gatherManifest({
    stack: run.stackName,
    asOf: run.desired.asOf,
    desiredState: path.relative(projectDir, path.resolve(projectDir, run.settings.desiredState)) || ".",
    inputs: run.desired.inputs,
    versions: { rolecall: ROLECALL_VERSION, pulumi: PULUMI_VERSION, node: process.version },
    projectDir,
    ...(opts.override ? { override: opts.override } : {}),
    ...(opts.changeOverride ? { changeOverride: opts.changeOverride } : {}),
    ...(opts.fastPath ? { fastPath: opts.fastPath } : {}),
    ...(run.part?.unchanged !== undefined ? { scope: { previewed: run.part.urns.length, unchanged: run.part.unchanged } } : {}),
  });
  const plan: PlanDocument = {
    schemaVersion: 1,
    manifest,
    ...core,
    guardrails: checkGuardrails(core, run.desired, run.previous, run.policy, opts.override, opts.changeOverride),
  };
  return { plan, record, ...(inventory ? { inventory } : {}) };

  /**
   * A preview whose only errors are deletes of resources the state protects still planned
   * everything (the engine goes on past those errors and reports the delete steps). Whether
   * such a delete may happen is policy's call, not the state's: the protected-accounts
   * guardrail refuses it while policy protects the person, and apply unprotects it once a
   * reviewed change took them off the list.
   */
  async function previewAllowingProtectedDeletes(r: StackRun): Promise<EngineRecord> {
    const captured = new EngineRecord();
    // A run limited to no resource at all (a fast path with nothing in the state to revoke) has
    // nothing to preview; the engine would take an empty target list as no limit.
    if (r.part?.urns.length === 0) return captured;
    progress(`previewing stack ${r.stackName}…`);
    try {
      // A run scoped to what changed refreshes only when the live read saw drift: otherwise the state already says what the targets hold.
      await preview(r.stack, r.log, progress, { refresh: opts.refresh && r.part?.drift !== false, onEvent: captured.add, ...(r.part ? { only: r.part } : {}) });
      return captured;
    } catch (error) {
      const errors = [...errorsByUrn(captured.diagnostics).values()].flat();
      const others = captured.diagnostics.filter((e) => e.diagnosticEvent?.severity === "error" && !e.diagnosticEvent.urn && !/^\s*(preview failed|an error occurred)\s*$/i.test(e.diagnosticEvent.message));
      const crashed = error instanceof EngineError && error.causes.some((c) => c.startsWith("the Pulumi engine crashed"));
      const onlyProtected = error instanceof EngineError && !crashed && others.length === 0 && errors.length > 0 && errors.every((m) => DELETE_PROTECTED.test(m));
      if (!onlyProtected) throw error;
      return captured;
    }
  }
}

/** Target ids → names for drift: the run's own resources by identity or catalog key, then what the inventory read live (userNames, group names). */
function namesOf(record: EngineRecord, inventory: InventoryDocument | undefined): Map<string, string> {
  const names = new Map(record.names);
  for (const t of inventory?.targets ?? []) for (const a of t.accounts) if (!names.has(a.id)) names.set(a.id, a.identity ?? a.userName);
  return names;
}

/**
 * Reads the targets live, decides what this run adopts and does with orphans (the program
 * declares it, stack-run.ts), and limits the run to what changed against `state`
 * (change-scope.ts). A disputed account nothing settles, or a decision that no longer fits its
 * account, refuses the run before any preview: nothing adopts or removes it.
 */
export async function readTargets(run: StackRun, projectDir: string, state: Deployment, opts: ScopeOptions): Promise<{ inventory: InventoryDocument; live: LiveRead[] }> {
  const read = await adopting(run, projectDir);
  await scopeToChanges(run, state, read.live, opts);
  return read;
}

async function adopting(run: StackRun, projectDir: string): Promise<{ inventory: InventoryDocument; live: LiveRead[] }> {
  progress(`reading the targets of stack ${run.stackName} live…`);
  const { inventory, live, adoption, findings } = await decideAdoptionFor(run, projectDir, { forApply: true });
  if (findings.length > 0) process.stderr.write(formatFindings(findings, "text", "") + "\n");
  const errors = findings.filter((f) => f.severity === "error").length;
  if (errors > 0) throw new RefusedError(`${errors} account${errors === 1 ? "" : "s"} or decision${errors === 1 ? "" : "s"} to settle before adoption (see above); nothing was previewed or applied`);
  run.adoption = adoption;
  return { inventory, live };
}

const driftShown = new WeakMap<StackRun, Set<string>>();

/** What the targets leave as another writer set it (an administrator's block), once per run: otherwise only in the engine's log. */
function showDrift(run: StackRun, record: EngineRecord): void {
  const shown = driftShown.get(run) ?? new Set<string>();
  driftShown.set(run, shown);
  for (const line of driftReports(record.diagnostics)) {
    if (shown.has(line)) continue;
    shown.add(line);
    progress(`drift: ${line}`);
  }
}
