import { encodeRecord, RECORD_OUTPUT, stateResources, urnName } from "../engine/state-sync.js";
import type { Deployment } from "@pulumi/pulumi/automation/index.js";
import { adoptionIn, type AdoptionPlan } from "../model/adoption.js";
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
  /** Per target declaring only some accounts (`declaresPart`), every account's id in the state, by key. */
  accountIds?: Record<string, ReadonlyMap<string, string>>;
};

/** What a run declares of the targets that can declare part of their state: accounts and groups, by key. */
export interface DeclaredPart {
  accounts: ReadonlySet<string>;
  groups: ReadonlySet<string>;
  /**
   * Accounts the state lacks are declared too (a full run declaring what changed creates them).
   * Absent: the leaver fast path, which never creates — an account the state lacks there is gone.
   */
  creates?: boolean;
  /** Of `accounts`, those their groups name by the id the state gives them (`PreviousOf.byId`). */
  byId?: ReadonlySet<string>;
}

type Keyed = { users: { key: string }[]; groups: { key: string }[] };

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
 * `part`: of the targets that can declare part of their state, only these accounts and groups
 * are declared (the leaver fast path), other members named by their ids in the state.
 * Resolves once every target has declared everything: the stack outputs, the record the next
 * plan compares against.
 */
export async function declareTargets(desired: DesiredState, connections: TargetConnections, previous?: PreviousDeclarations, part?: DeclaredPart): Promise<Record<typeof RECORD_OUTPUT, string>> {
  const byName = connections as Record<string, unknown>;
  const before = (previous ?? {}) as Record<string, unknown>;
  const enabled = ALL_TARGETS.filter((target) => byName[target.name] !== undefined);
  const declarations = await Promise.all(enabled.map(declarationOf));
  const declaring = enabled.map((target, i) => {
    const whole = ((desired.targets as Record<string, unknown>)[target.name] ?? target.emptyProjection([])) as Keyed;
    const idsInState = part && target.declaresPart ? previous?.accountIds?.[target.name] ?? new Map<string, string>() : undefined;
    const projection = idsInState ? { ...whole, users: whole.users.filter((u) => part!.accounts.has(u.key) && (part!.creates || idsInState.has(u.key))), groups: whole.groups.filter((g) => part!.groups.has(g.key)) } : whole;
    const adoption = previous?.adoption ? adoptionIn(previous.adoption, target.name) : undefined;
    return declarations[i]!(target.name, projection, byName[target.name], { state: before[target.name], ...(previous?.record ? { record: previous.record } : {}), ...(adoption ? { adoption } : {}), ...(idsInState ? { accountIds: idsInState, ...(part?.byId ? { byId: part.byId } : {}) } : {}) });
  });
  await Promise.all(declaring);
  return { [RECORD_OUTPUT]: encodeRecord(stackRecord(desired, Object.keys(connections))) };
}

/**
 * Each enabled target's reading of the stack's exported state, for those whose declaration
 * depends on it; for a run declaring part of the state, also the account ids of the targets
 * that can (`declaresPart`).
 */
export function readPreviousDeclarations(targets: readonly string[], deployment: Deployment, part = false): PreviousDeclarations {
  const previous: Record<string, unknown> = {};
  const accountIds: Record<string, ReadonlyMap<string, string>> = {};
  const resources = stateResources(deployment);
  for (const t of ALL_TARGETS) {
    if (!targets.includes(t.name)) continue;
    if (t.readPrevious) previous[t.name] = t.readPrevious(deployment);
    if (part && t.declaresPart) accountIds[t.name] = new Map(resources.flatMap((r) => (r.type === t.plan.accountType && r.id ? [[urnName(r.urn), r.id] as const] : [])));
  }
  return { ...(previous as PreviousDeclarations), ...(part ? { accountIds } : {}) };
}

/** Whether any of these targets reads the stack's exported state before it is declared. */
export function readsPreviousState(targets: readonly string[]): boolean {
  return ALL_TARGETS.some((t) => targets.includes(t.name) && t.readPrevious !== undefined);
}
