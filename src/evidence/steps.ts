import { createHash } from "node:crypto";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { protectChangeOf } from "../engine/state-sync.js";
import { UNKNOWN } from "../engine/unknown.js";
import type { AppliedStep, PlanStep } from "../model/plan.js";
import { DRIFT_MARK } from "../targets/drift.js";
import { listedIds } from "../targets/member-list.js";
import { ALL_TARGETS } from "../targets/registry.js";

/** The rolecall target a resource belongs to, from its component's type in the URN. */
const TARGET_OF_COMPONENT: Record<string, string> = Object.fromEntries(ALL_TARGETS.map((t) => [t.componentType, t.name]));

/** Per resource type holding a membership list, the list's property (targets' plan.memberFields). */
const MEMBER_FIELDS: ReadonlyMap<string, string> = new Map(ALL_TARGETS.flatMap((t) => Object.entries(t.plan.memberFields ?? {})));

/** Steps the engine reports for every resource of a run: counted, never kept one by one. */
const UNCHANGED: ReadonlySet<string> = new Set(["same", "refresh"]);

/**
 * What plan, apply and the evidence need of one engine run, folded from its events as they
 * arrive, so memory grows with the change and not with the company: every step except the
 * `same` and `refresh` ones each resource gets (those are counted), the steps the engine
 * reported done or failed, the error diagnostics and drift reports, and the resources whose
 * protection the run changes.
 */
export class EngineRecord {
  /** Steps that are not `same` or `refresh`, in the order the engine planned them. */
  readonly steps: PlanStep[] = [];
  /** Every step by operation, `same` and `refresh` included. */
  readonly counts: Record<string, number> = {};
  /** `op urn` of the steps the engine reported done, and of those it reported failed. */
  readonly done = new Set<string>();
  readonly failed = new Set<string>();
  /** Error diagnostics and drift warnings, in order. */
  readonly diagnostics: EngineEvent[] = [];
  /** Resources whose protect flag the run changes (visible only in the events). */
  readonly protects: string[] = [];
  /** Each resource's target-side id → its resource name, so a membership list's ids can be named. */
  readonly names = new Map<string, string>();

  readonly add = (e: EngineEvent): void => {
    const m = e.resourcePreEvent?.metadata;
    if (m) {
      this.counts[m.op] = (this.counts[m.op] ?? 0) + 1;
      const id = m.old?.id || m.new?.id;
      if (id) this.names.set(id, m.urn.split("::").slice(3).join("::"));
      if (!UNCHANGED.has(m.op)) this.steps.push(stepOf(m));
      const urn = protectChangeOf(e);
      if (urn) this.protects.push(urn);
    }
    const out = e.resOutputsEvent?.metadata;
    if (out && !UNCHANGED.has(out.op)) this.done.add(stepKey(out));
    const fail = e.resOpFailedEvent?.metadata;
    if (fail) this.failed.add(stepKey(fail));
    const d = e.diagnosticEvent;
    if (d && (d.severity === "error" || (d.severity === "warning" && d.message.startsWith(DRIFT_MARK)))) this.diagnostics.push(e);
  };

  /** The record of events already collected (tests, small runs). */
  static of(events: Iterable<EngineEvent>): EngineRecord {
    const record = new EngineRecord();
    for (const e of events) record.add(e);
    return record;
  }
}

type StepMetadata = NonNullable<EngineEvent["resourcePreEvent"]>["metadata"];

/** One engine step as the plan keeps it: where it is, what changes, and a hash of its new inputs. */
function stepOf(m: StepMetadata): PlanStep {
  const parts = m.urn.split("::");
  const typeChain = parts[2] ?? "";
  const component = typeChain.split("$").find((t) => t in TARGET_OF_COMPONENT);
  return {
    op: m.op,
    urn: m.urn,
    type: m.type,
    name: parts.slice(3).join("::"),
    target: component ? TARGET_OF_COMPONENT[component]! : "",
    diffs: [...(m.diffs ?? [])].sort(),
    ...(m.new?.inputs ? { inputsSha256: createHash("sha256").update(canonicalJson(m.new.inputs)).digest("hex") } : {}),
    ...memberChanges(m),
    ...(m.detailedDiff ? { detailedDiff: Object.fromEntries(Object.entries(m.detailedDiff).map(([k, v]) => [k, { kind: v.diffKind, inputDiff: v.inputDiff }])) } : {}),
  };
}

/** Which ids an update of a membership list adds and removes: the state before it (refreshed: what is live) against the declared list. */
function memberChanges(m: StepMetadata): Pick<PlanStep, "members"> {
  const field = MEMBER_FIELDS.get(m.type);
  if (!field || m.op !== "update") return {};
  const before = m.old?.outputs?.[field] ?? m.old?.inputs?.[field];
  const after = m.new?.inputs?.[field];
  if (!Array.isArray(before) || !Array.isArray(after)) return {};
  const had = new Set(listedIds(before));
  // An account this run creates has no id before the apply: the plan names it as a joiner's gain, not as a member the target lacks.
  const has = new Set(listedIds(after).filter((v) => v !== UNKNOWN));
  return { members: { field, added: [...has].filter((v) => !had.has(v)).sort(), removed: [...had].filter((v) => !has.has(v)).sort() } };
}

export function stepKey(s: { op: string; urn: string }): string {
  return `${s.op} ${s.urn}`;
}

/** Steps that change something; a replacement's three steps count once, as `replace`. */
export function changingSteps(steps: readonly PlanStep[]): PlanStep[] {
  return steps.filter((s) => !NOT_CHANGING.has(s.op));
}

const NOT_CHANGING: ReadonlySet<string> = new Set(["same", "read", "refresh", "create-replacement", "delete-replaced", "discard", "discard-replaced"]);

/**
 * Each changing step of an update — the planned ones and any the update did besides — with
 * its real outcome. The engine's report is taken when it says done. Otherwise `readBack`,
 * the changing steps of a refreshing preview made after the update, settles it: a step no
 * longer there was written (a lost response, a 5xx after the write); one still there is
 * failed (it had an error) or skipped (never attempted). With no read-back such a step is
 * unknown, never failed by assumption.
 */
export function appliedSteps(planned: readonly PlanStep[], update: EngineRecord, errors: ReadonlyMap<string, readonly string[]>, readBack?: readonly PlanStep[]): AppliedStep[] {
  const pending = readBack ? new Set(changingSteps(readBack).map((s) => s.urn)) : undefined;
  const steps = new Map<string, PlanStep>();
  for (const s of [...changingSteps(planned), ...changingSteps(update.steps)]) if (!steps.has(stepKey(s))) steps.set(stepKey(s), s);
  return [...steps.values()].map((s): AppliedStep => {
    const error = errors.get(s.urn)?.join("; ");
    const withError = error ? { error } : {};
    const key = stepKey(s);
    if (update.done.has(key) && !update.failed.has(key)) return { op: s.op, urn: s.urn, outcome: "done" };
    if (!pending) return { op: s.op, urn: s.urn, outcome: "unknown", ...withError };
    if (!pending.has(s.urn)) return { op: s.op, urn: s.urn, outcome: "done", readBack: true, ...withError };
    return { op: s.op, urn: s.urn, outcome: update.failed.has(key) || error ? "failed" : "skipped", readBack: true, ...withError };
  });
}

/** JSON with object keys sorted at every level: the same value always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
