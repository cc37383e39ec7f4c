import type * as pulumi from "@pulumi/pulumi";
import type { DesiredState, DirectoryUser } from "../model/desired-state.js";
import type { AwsTargetSettings } from "../model/target-settings/aws.js";
import type { AzureAdTargetSettings } from "../model/target-settings/azuread.js";
import type { OktaTargetSettings } from "../model/target-settings/okta.js";
import { AwsTarget } from "./aws/component.js";
import { AzureAdTarget } from "./azuread/component.js";
import { OktaTarget } from "./okta/component.js";
import type { AzureAdPrevious } from "./azuread/previous.js";
import type { OktaPrevious } from "./okta/previous.js";
import { stackRecord, type StackRecord } from "./record.js";
import { ScimTarget } from "./scim/component.js";

/** How to reach each enabled target. Components register every credential as a Pulumi secret. */
export interface TargetConnections {
  scim?: { endpoint: pulumi.Input<string>; token: pulumi.Input<string> };
  /** The cloud targets authenticate through their providers' usual environment variables. */
  okta?: OktaTargetSettings;
  azuread?: AzureAdTargetSettings;
  aws?: AwsTargetSettings;
}

/**
 * Declares the desired state as Pulumi resources: one component per enabled target, each
 * taking its projection. Reads nothing and decides nothing — that happened in compile.
 * Returns the stack outputs: the record the next plan compares against.
 */
/** What the stack's last run left, for targets whose next step depends on it (from the exported state). */
export interface PreviousDeclarations {
  okta?: OktaPrevious;
  azuread?: AzureAdPrevious;
  /** The stack's record of its last apply (settled for failed steps): what rolecall itself did. */
  record?: StackRecord;
}

export function declareTargets(desired: DesiredState, connections: TargetConnections, previous?: PreviousDeclarations): { rolecall: StackRecord } {
  const users: DirectoryUser[] = [];
  if (connections.scim) new ScimTarget("scim", { projection: desired.targets.scim ?? { users, groups: [] }, ...connections.scim });
  if (connections.okta) new OktaTarget("okta", { projection: desired.targets.okta ?? { users, groups: [], adminRoles: [] }, settings: connections.okta, previous: previous?.okta });
  if (connections.azuread) {
    new AzureAdTarget("azuread", { projection: desired.targets.azuread ?? { users, groups: [], directoryRoles: [] }, settings: connections.azuread, previous: previous?.azuread && { ...previous.azuread, ...(previous.record ? { record: previous.record } : {}) } });
  }
  if (connections.aws) {
    new AwsTarget("aws", { projection: desired.targets.aws ?? { users, groups: [], accounts: [], permissionSets: [], assignments: [] }, settings: connections.aws });
  }
  return { rolecall: stackRecord(desired, Object.keys(connections)) };
}
