import type { Deployment } from "@pulumi/pulumi/automation/index.js";
import { stateResources, urnName, type StateResource } from "../engine/state-sync.js";
import { adoptionIn, type AdoptionPlan } from "../model/adoption.js";
import type { DesiredState } from "../model/desired-state.js";
import type { LiveDirectory } from "../model/inventory.js";
import type { DeclaredPart } from "./declare.js";
import { ALL_TARGETS } from "./registry.js";

/** What a full run declares when it declares only what changed: the accounts and groups, the URNs it is limited to, and how many it left out. */
export type ChangedScope = DeclaredPart & { urns: string[]; refreshOnly: string[]; unchanged: number; drift: boolean };

/**
 * The part of the stack a full plan or apply must declare, or undefined to declare it whole.
 * Only when every enabled target can tell its own changes (`Target.changedPart`) and the state
 * holds nothing but the stack and those targets' components with their direct resources: an
 * unknown resource, a target not read live, or a target unsure of anything, and the run is
 * the full one — the way that never misses a change.
 */
export function changedPart(
  state: Deployment,
  desired: DesiredState,
  connections: Readonly<Record<string, unknown>>,
  live: readonly { target: string; directory: LiveDirectory }[],
  adoption: AdoptionPlan | undefined,
  refreshed = false,
): ChangedScope | undefined {
  const resources = stateResources(state);
  const roots = resources.filter((r) => r.type === "pulumi:pulumi:Stack");
  // A resource the engine will replace or delete whatever the program says is for a full run.
  if (roots.length !== 1 || resources.some((r) => r.taint || r.delete || r.pendingReplacement)) return undefined;
  const claimed = new Set([roots[0]!.urn]);
  const accounts = new Set<string>();
  const groups = new Set<string>();
  const urns = new Set<string>();
  const refreshOnly = new Set<string>();
  const byId = new Set<string>();
  let unchanged = 0;
  let drift = false;
  for (const target of ALL_TARGETS) {
    const connection = connections[target.name];
    if (connection === undefined) continue;
    const component = resources.find((r) => r.type === target.componentType && r.parent === roots[0]!.urn && urnName(r.urn) === target.name);
    const directory = live.find((l) => l.target === target.name)?.directory;
    if (!target.declaresPart || !target.changedPart || !component || !directory) return undefined;
    const children = resources.filter((r) => r.parent === component.urn);
    const part = target.changedPart({
      projection: (desired.targets as Record<string, unknown>)[target.name] ?? target.emptyProjection([]),
      connection,
      component,
      resources: children,
      live: directory,
      adoption: adoptionIn(adoption, target.name),
      refreshed,
    });
    if (!part) return undefined;
    for (const r of [component, ...children]) claimed.add(r.urn);
    for (const a of part.accounts) accounts.add(a);
    for (const g of part.groups) groups.add(g);
    for (const u of part.urns) urns.add(u);
    for (const u of part.refreshOnly) refreshOnly.add(u);
    for (const a of part.byId) byId.add(a);
    unchanged += part.unchanged;
    drift ||= part.drift;
  }
  if (resources.some((r) => !claimed.has(r.urn))) return undefined;
  // The engine deletes what depends on a targeted resource unless the program declares it: an
  // unchanged group whose state records a changed member as a dependency is declared too.
  const kinds = new Map(ALL_TARGETS.flatMap((t) => [[t.plan.accountType, accounts] as const, ...Object.keys(t.plan.memberFields ?? {}).map((type) => [type, groups] as const)]));
  for (let added = true; added; ) {
    added = false;
    for (const r of resources) {
      if (urns.has(r.urn) || refreshOnly.has(r.urn) || !dependsOn(r).some((d) => urns.has(d))) continue;
      const keys = kinds.get(r.type);
      if (!keys) return undefined;
      keys.add(urnName(r.urn));
      urns.add(r.urn);
      unchanged--;
      added = true;
    }
  }
  return { accounts, groups, urns: [...urns].sort(), refreshOnly: [...refreshOnly].sort(), unchanged, drift, creates: true, byId };
}

/** Every resource a state resource depends on, as the engine counts a target's dependents. */
function dependsOn(r: StateResource): string[] {
  return [...(r.dependencies ?? []), ...Object.values(r.propertyDependencies ?? {}).flat(), ...(r.deletedWith ? [r.deletedWith] : []), ...(r.parent ? [r.parent] : [])];
}
