import { createHash } from "node:crypto";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import type { AppliedStep, PlanStep } from "../model/plan.js";
import { ALL_TARGETS } from "../targets/registry.js";

/** The rolecall target a resource belongs to, from its component's type in the URN. */
const TARGET_OF_COMPONENT: Record<string, string> = Object.fromEntries(ALL_TARGETS.map((t) => [t.componentType, t.name]));

/** Engine steps from the events of a preview or an update, in the order the engine planned them. */
export function stepsFromEvents(events: readonly EngineEvent[]): PlanStep[] {
  return events.flatMap((e) => {
    const m = e.resourcePreEvent?.metadata;
    if (!m) return [];
    const parts = m.urn.split("::");
    const typeChain = parts[2] ?? "";
    const component = typeChain.split("$").find((t) => t in TARGET_OF_COMPONENT);
    const step: PlanStep = {
      op: m.op,
      urn: m.urn,
      type: m.type,
      name: parts.slice(3).join("::"),
      target: component ? TARGET_OF_COMPONENT[component]! : "",
      diffs: [...(m.diffs ?? [])].sort(),
      ...(m.new?.inputs ? { inputsSha256: createHash("sha256").update(canonicalJson(m.new.inputs)).digest("hex") } : {}),
      ...(m.detailedDiff ? { detailedDiff: Object.fromEntries(Object.entries(m.detailedDiff).map(([k, v]) => [k, { kind: v.diffKind, inputDiff: v.inputDiff }])) } : {}),
    };
    return [step];
  });
}

/** Steps that change something; a replacement's three steps count once, as `replace`. */
export function changingSteps(steps: readonly PlanStep[]): PlanStep[] {
  return steps.filter((s) => !["same", "read", "refresh", "create-replacement", "delete-replaced", "discard", "discard-replaced"].includes(s.op));
}

/**
 * Each changing step of an update — the planned ones and any the update did besides — with
 * its real outcome. The engine's report is taken when it says done. Otherwise `readBack`,
 * the changing steps of a refreshing preview made after the update, settles it: a step no
 * longer there was written (a lost response, a 5xx after the write); one still there is
 * failed (it had an error) or skipped (never attempted). With no read-back such a step is
 * unknown, never failed by assumption.
 */
export function appliedSteps(planned: readonly PlanStep[], events: readonly EngineEvent[], errors: ReadonlyMap<string, readonly string[]>, readBack?: readonly PlanStep[]): AppliedStep[] {
  const key = (s: { op: string; urn: string }) => `${s.op} ${s.urn}`;
  const done = new Set<string>();
  const failed = new Set<string>();
  for (const e of events) {
    if (e.resOutputsEvent) done.add(key(e.resOutputsEvent.metadata));
    if (e.resOpFailedEvent) failed.add(key(e.resOpFailedEvent.metadata));
  }
  const pending = readBack ? new Set(changingSteps(readBack).map((s) => s.urn)) : undefined;
  const steps = new Map<string, PlanStep>();
  for (const s of [...changingSteps(planned), ...changingSteps(stepsFromEvents(events))]) if (!steps.has(key(s))) steps.set(key(s), s);
  return [...steps.values()].map((s): AppliedStep => {
    const error = errors.get(s.urn)?.join("; ");
    const withError = error ? { error } : {};
    if (done.has(key(s)) && !failed.has(key(s))) return { op: s.op, urn: s.urn, outcome: "done" };
    if (!pending) return { op: s.op, urn: s.urn, outcome: "unknown", ...withError };
    if (!pending.has(s.urn)) return { op: s.op, urn: s.urn, outcome: "done", readBack: true, ...withError };
    return { op: s.op, urn: s.urn, outcome: failed.has(key(s)) || error ? "failed" : "skipped", readBack: true, ...withError };
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
