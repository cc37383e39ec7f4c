import type { Deployment } from "@pulumi/pulumi/automation/index.js";
import { pendingIn } from "../engine/recover.js";
import { stateResources } from "../engine/state-sync.js";
import type { LiveRead } from "../model/inventory.js";
import { changedPart } from "../targets/changed-part.js";
import { progress } from "./context.js";
import type { StackRun } from "./stack-run.js";

export interface ScopeOptions {
  /** The run's preview is also its refresh (plan), which the engine cannot limit to resources not made yet. */
  refreshingPreview: boolean;
  /** Asked for by the user (--every-resource): every resource is previewed. */
  everyResource: boolean;
  /** The state was refreshed since the live read, for every resource the run's scope named. */
  refreshed?: boolean;
}

/**
 * Limits a full plan or apply to what changed: the resources whose desired inputs, state and
 * live reading (`live`, the read adoption was decided from) do not all agree, judged against
 * `state`. With pending operations, or wherever a target cannot tell, the run declares
 * everything, as it always did; so does a refreshing preview (plan) that would have to refresh
 * what it cannot target: drift beside creates, or something to delete the live read lacks.
 */
export async function scopeToChanges(run: StackRun, state: Deployment, live: readonly LiveRead[], opts: ScopeOptions): Promise<void> {
  const scoped = opts.everyResource || pendingIn(state).length > 0 ? undefined : changedPart(state, run.desired, run.connections as Record<string, unknown>, live, run.adoption, opts.refreshed);
  const held = new Set(stateResources(state).map((r) => r.urn));
  // A refreshing preview refreshes only what it targets, and can target only what its state holds.
  const unfit = opts.refreshingPreview && scoped && ((scoped.drift && scoped.urns.some((u) => !held.has(u))) || scoped.refreshOnly.length > 0);
  const part = unfit ? undefined : scoped;
  if (part) run.part = part;
  else delete run.part;
  await run.readTargetState(state);
  if (part) progress(`${part.urns.length} resource${part.urns.length === 1 ? "" : "s"} to preview; ${part.unchanged} unchanged (state, live read and desired state agree)`);
}
