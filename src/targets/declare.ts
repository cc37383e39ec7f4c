import type * as pulumi from "@pulumi/pulumi";
import type { DesiredState } from "../model/desired-state.js";
import { ScimTarget } from "./scim/component.js";

/** How to reach each enabled target. Components register every credential as a Pulumi secret. */
export interface TargetConnections {
  scim?: { endpoint: pulumi.Input<string>; token: pulumi.Input<string> };
}

/**
 * Declares the desired state as Pulumi resources: one component per enabled target, each
 * taking its projection. Reads nothing and decides nothing — that happened in compile.
 */
export function declareTargets(desired: DesiredState, connections: TargetConnections): Record<string, pulumi.ComponentResource> {
  const components: Record<string, pulumi.ComponentResource> = {};
  if (connections.scim) {
    const projection = desired.targets.scim ?? { users: [], groups: [] };
    components.scim = new ScimTarget("scim", { projection, ...connections.scim });
  }
  return components;
}
