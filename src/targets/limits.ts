import type { DesiredState } from "../model/desired-state.js";
import type { Finding } from "../model/finding.js";
import type { Inputs } from "../model/inputs.js";
import type { StackSettings } from "../model/stack-settings.js";
import { awsLimits } from "./aws/limits.js";
import { azureAdLimits } from "./azuread/limits.js";
import type { LimitContext, TargetName } from "./limit-context.js";
import { oktaLimits } from "./okta/limits.js";
import { scimLimits } from "./scim/limits.js";

/** Each target's check of what it would refuse, one line per target. */
const LIMITS: { [T in TargetName]: (ctx: LimitContext<NonNullable<StackSettings["targets"][T]>>) => Finding[] } = {
  scim: scimLimits,
  okta: oktaLimits,
  azuread: azureAdLimits,
  aws: awsLimits,
};

/**
 * Everything the enabled targets would refuse that is known before the engine runs: each
 * an error at the file and line the user edits, so `validate` (and `plan`, before it starts
 * the engine) refuses what would otherwise throw inside the Pulumi program.
 */
export function checkTargetLimits(targets: StackSettings["targets"], desired: DesiredState, inputs: Pick<Inputs, "serviceAccounts" | "lines">): Finding[] {
  const findings: Finding[] = [];
  for (const name of Object.keys(LIMITS) as TargetName[]) {
    const settings = targets[name];
    if (settings === undefined) continue;
    const check = LIMITS[name] as (ctx: LimitContext<unknown>) => Finding[];
    findings.push(...check({ desired, inputs, settings }));
  }
  return findings;
}

/**
 * The targets a desired-state folder is checked against when no stack names them: those
 * its catalog describes, with default settings.
 */
export function targetsOfCatalog(catalog: Inputs["catalog"]): StackSettings["targets"] {
  const targets: Record<string, object> = {};
  for (const name of Object.keys(LIMITS)) if ((catalog as Record<string, unknown>)[name] !== undefined) targets[name] = name === "scim" ? { endpoint: "sandbox" } : {};
  return targets as StackSettings["targets"];
}
