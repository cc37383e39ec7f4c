import type { DesiredState } from "../model/desired-state.js";
import type { Finding } from "../model/finding.js";
import type { Inputs } from "../model/inputs.js";
import type { StackSettings } from "../model/stack-settings.js";
import { ALL_TARGETS } from "./registry.js";

/**
 * Everything the enabled targets would refuse that is known before the engine runs: each
 * an error at the file and line the user edits, so `validate` (and `plan`, before it starts
 * the engine) refuses what would otherwise throw inside the Pulumi program.
 */
export function checkTargetLimits(targets: StackSettings["targets"], desired: DesiredState, inputs: Pick<Inputs, "serviceAccounts" | "lines">): Finding[] {
  const findings: Finding[] = [];
  for (const target of ALL_TARGETS) {
    const settings = (targets as Record<string, unknown>)[target.name];
    if (settings === undefined) continue;
    findings.push(...target.limits({ desired, inputs, settings }));
  }
  return findings;
}

/**
 * The targets a desired-state folder is checked against when no stack names them: those
 * its catalog describes, with default settings.
 */
export function targetsOfCatalog(catalog: Inputs["catalog"]): StackSettings["targets"] {
  const targets: Record<string, object> = {};
  for (const t of ALL_TARGETS) if ((catalog as Record<string, unknown>)[t.name] !== undefined) targets[t.name] = t.catalogDefaultSettings;
  return targets as StackSettings["targets"];
}
