import { createHash } from "node:crypto";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import type { AppliedDocument, PlanStep } from "../model/plan.js";

/** The rolecall target a resource belongs to, from its component's type in the URN. */
const TARGET_OF_COMPONENT: Record<string, string> = {
  "rolecall:targets:Scim": "scim",
  "rolecall:targets:Okta": "okta",
  "rolecall:targets:AzureAd": "azuread",
  "rolecall:targets:Aws": "aws",
};

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

/** Each changing step of an update with its outcome: done when the engine reported outputs. */
export function appliedSteps(events: readonly EngineEvent[]): AppliedDocument["steps"] {
  const outcome = new Map<string, "done" | "failed">();
  for (const e of events) {
    if (e.resOutputsEvent) outcome.set(`${e.resOutputsEvent.metadata.op} ${e.resOutputsEvent.metadata.urn}`, "done");
    if (e.resOpFailedEvent) outcome.set(`${e.resOpFailedEvent.metadata.op} ${e.resOpFailedEvent.metadata.urn}`, "failed");
  }
  return changingSteps(stepsFromEvents(events)).map((s) => ({ op: s.op, urn: s.urn, outcome: outcome.get(`${s.op} ${s.urn}`) ?? "failed" }));
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
