import type { DesiredState } from "../model/desired-state.js";
import type { GuardrailVerdict } from "../model/plan.js";
import type { Policy } from "../model/policy.js";
import type { PlanCore } from "../evidence/plan-model.js";
import type { StackRecord } from "../targets/record.js";
import { harmsProtected } from "../evidence/protected.js";
import { checkChangeLimits } from "./change-limits.js";

/**
 * The checks a preview must pass before anything is applied. A truncated HR export looks
 * like a mass departure: the deprovisioning and roster-size limits catch it. They can be
 * overridden with a reason (recorded in the evidence); a change to a protected account cannot.
 * Mass reactivations and renames have their own limits and their own override
 * (--allow-mass-change): a reason for one kind of mass change unlocks no other.
 */
export function checkGuardrails(
  plan: PlanCore,
  desired: DesiredState,
  previous: StackRecord | undefined,
  policy: Policy,
  override?: string,
  changeOverride?: string,
): GuardrailVerdict[] {
  const limits = policy.guardrails;
  const before = Object.values(previous?.accounts ?? {}).filter((a) => a.kind === "person").length;
  const base = before || desired.people.length;
  // An orphan policy disables or removes is deprovisioned like a leaver: the same limits hold.
  const orphansActedOn = (plan.summary?.orphansDisabled ?? 0) + (plan.summary?.orphansRemoved ?? 0);
  const leaving = plan.people.filter((p) => p.kind === "person" && p.change === "leaver").length + orphansActedOn;
  const declared = desired.people.filter((p) => p.account !== "absent").length;
  const shrink = before === 0 ? 0 : Math.max(0, ((before - declared) / before) * 100);
  const percent = base === 0 ? 0 : (leaving / base) * 100;
  const staying = desired.people.filter((p) => p.state !== "leaver").length;
  const fmt = (n: number) => `${Math.round(n * 10) / 10}%`;

  const overridable = (name: string, limit: string, actual: string, ok: boolean, message: string): GuardrailVerdict => ({
    name,
    limit,
    actual,
    verdict: ok ? "pass" : override ? "overridden" : "fail",
    message: ok ? message : override ? `${message} — overridden: ${override}` : `${message}; if this is intended, run again with --allow-mass-deprovision "<reason>"`,
  });
  const protectedHarms = protectedOffences(plan, desired, policy);
  return [
    overridable("max-deprovision-count", `${limits.maxDeprovision.count} people`, `${leaving} people`, leaving <= limits.maxDeprovision.count, `${leaving} people lose their access${orphansActedOn ? ` (${orphansActedOn} of them orphan accounts)` : ""} (limit ${limits.maxDeprovision.count})`),
    overridable("max-deprovision-percent", fmt(limits.maxDeprovision.percent), fmt(percent), percent <= limits.maxDeprovision.percent, `${fmt(percent)} of ${base} people lose their access (limit ${fmt(limits.maxDeprovision.percent)})`),
    overridable("min-roster-size", `${limits.minRosterSize} people`, `${staying} people`, staying >= limits.minRosterSize, `the roster has ${staying} people who have not left (minimum ${limits.minRosterSize}) — is the HR export complete?`),
    overridable("max-roster-shrink", fmt(limits.maxRosterShrinkPercent), fmt(shrink), shrink <= limits.maxRosterShrinkPercent, `declared people shrink from ${before} to ${declared} (${fmt(shrink)}, limit ${fmt(limits.maxRosterShrinkPercent)})`),
    {
      name: "protected-accounts",
      limit: "no change",
      actual: `${protectedHarms.length} changed`,
      verdict: protectedHarms.length === 0 ? "pass" : "fail",
      message:
        protectedHarms.length === 0
          ? "no protected account is deleted, disabled or loses access"
          : `protected accounts would be harmed: ${protectedHarms.join("; ")}; if intended, take them off policy.yaml's protected list in a reviewed change first`,
    },
    ...checkChangeLimits(plan, desired, previous, policy, changeOverride),
  ];
}

/**
 * Judged from policy, not from what the stack recorded: every worker policy protects must be
 * in the roster, and none may be deleted, disabled or lose access. Creating or updating one is
 * fine.
 */
function protectedOffences(plan: PlanCore, desired: DesiredState, policy: Policy): string[] {
  const inRoster = new Set(desired.people.map((p) => p.id));
  const changes = new Map(plan.people.map((p) => [p.id, p]));
  return policy.protected.flatMap((id) => {
    if (!inRoster.has(id)) return [`${id} is not in the roster`];
    const change = changes.get(id);
    const harms = change ? harmsProtected(change) : [];
    return harms.length > 0 ? [`${id}: ${harms.join(", ")}`] : [];
  });
}
