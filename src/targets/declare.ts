import type { DesiredState } from "../model/desired-state.js";
import { stackRecord, type StackRecord } from "./record.js";
import { ALL_TARGETS, type TARGETS } from "./registry.js";
import type { Declare } from "./target.js";

type Registered = (typeof TARGETS)[number];
type ConnectionOf<T> = T extends { connect(...args: never[]): Promise<infer C> } ? C : never;
type StateOf<T> = T extends { readPrevious?(deployment: unknown): infer P } ? P : never;

/** How to reach each enabled target, by target name. Components register every credential as a Pulumi secret. */
export type TargetConnections = { [T in Registered as T["name"]]?: ConnectionOf<T> };

/** What the stack's last run left, for targets whose next step depends on it (from the exported state). */
export type PreviousDeclarations = { [T in Registered as T["name"]]?: StateOf<T> } & {
  /** The stack's record of its last apply (settled for failed steps): what rolecall itself did. */
  record?: StackRecord;
};

// The components and their provider packages, loaded once when a stack is about to run (never by validate or compile).
const DECLARE = new Map<string, Declare<unknown, unknown, unknown>>(await Promise.all(ALL_TARGETS.map(async (t) => [t.name, await t.loadDeclare()] as const)));

/**
 * Declares the desired state as Pulumi resources: one component per enabled target, each
 * taking its projection. Reads nothing and decides nothing — that happened in compile.
 * Returns the stack outputs: the record the next plan compares against.
 */
export function declareTargets(desired: DesiredState, connections: TargetConnections, previous?: PreviousDeclarations): { rolecall: StackRecord } {
  const byName = connections as Record<string, unknown>;
  const before = (previous ?? {}) as Record<string, unknown>;
  for (const target of ALL_TARGETS) {
    const connection = byName[target.name];
    if (connection === undefined) continue;
    const projection = (desired.targets as Record<string, unknown>)[target.name] ?? target.emptyProjection([]);
    DECLARE.get(target.name)!(target.name, projection, connection, { state: before[target.name], ...(previous?.record ? { record: previous.record } : {}) });
  }
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
