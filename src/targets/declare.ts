import type { AdoptionPlan } from "../model/adoption.js";
import type { DesiredState } from "../model/desired-state.js";
import { stackRecord, type StackRecord } from "./record.js";
import { ALL_TARGETS, type TARGETS } from "./registry.js";
import type { AnyTarget, Declare } from "./target.js";

type Registered = (typeof TARGETS)[number];
type ConnectionOf<T> = T extends { connect(...args: never[]): Promise<infer C> } ? C : never;
type StateOf<T> = T extends { readPrevious?(deployment: unknown): infer P } ? P : never;

/** How to reach each enabled target, by target name. Components register every credential as a Pulumi secret. */
export type TargetConnections = { [T in Registered as T["name"]]?: ConnectionOf<T> };

/** What the stack's last run left, for targets whose next step depends on it (from the exported state). */
export type PreviousDeclarations = { [T in Registered as T["name"]]?: StateOf<T> } & {
  /** The stack's record of its last apply (settled for failed steps): what rolecall itself did. */
  record?: StackRecord;
  /** What the run adopts and does with orphans, decided from the live inventory before the preview. */
  adoption?: AdoptionPlan;
};

// A target's component and provider package, loaded when a stack that enables it first runs:
// never by validate or compile, and a SCIM-only stack never loads the cloud providers' SDKs.
const loaded = new Map<string, Promise<Declare<unknown, unknown, unknown>>>();
const declarationOf = (target: AnyTarget) => {
  if (!loaded.has(target.name)) loaded.set(target.name, target.loadDeclare() as Promise<Declare<unknown, unknown, unknown>>);
  return loaded.get(target.name)!;
};

/**
 * Declares the desired state as Pulumi resources: one component per enabled target, each
 * taking its projection. Reads nothing and decides nothing — that happened in compile.
 * Returns the stack outputs: the record the next plan compares against.
 */
export async function declareTargets(desired: DesiredState, connections: TargetConnections, previous?: PreviousDeclarations): Promise<{ rolecall: StackRecord }> {
  const byName = connections as Record<string, unknown>;
  const before = (previous ?? {}) as Record<string, unknown>;
  const enabled = ALL_TARGETS.filter((target) => byName[target.name] !== undefined);
  const declarations = await Promise.all(enabled.map(declarationOf));
  enabled.forEach((target, i) => {
    const projection = (desired.targets as Record<string, unknown>)[target.name] ?? target.emptyProjection([]);
    const mine = <T extends { target: string }>(list: readonly T[] = []) => list.filter((x) => x.target === target.name);
    const adoption = previous?.adoption ? { adoptions: mine(previous.adoption.adoptions), orphans: mine(previous.adoption.orphans), memberships: mine(previous.adoption.memberships) } : undefined;
    declarations[i]!(target.name, projection, byName[target.name], { state: before[target.name], ...(previous?.record ? { record: previous.record } : {}), ...(adoption ? { adoption } : {}) });
  });
  return { rolecall: stackRecord(desired, Object.keys(connections)) };
}

/** Each enabled target's reading of the stack's exported state, for those whose declaration depends on it. */
export function readPreviousDeclarations(targets: readonly string[], deployment: unknown): PreviousDeclarations {
  const previous: Record<string, unknown> = {};
  for (const t of ALL_TARGETS) if (targets.includes(t.name) && t.readPrevious) previous[t.name] = t.readPrevious(deployment);
  return previous as PreviousDeclarations;
}

/** Whether any of these targets reads the stack's exported state before it is declared. */
export function readsPreviousState(targets: readonly string[]): boolean {
  return ALL_TARGETS.some((t) => targets.includes(t.name) && t.readPrevious !== undefined);
}
