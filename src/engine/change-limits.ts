import type { DesiredState } from "../model/desired-state.js";
import type { GuardrailVerdict } from "../model/plan.js";
import type { Policy } from "../model/policy.js";
import type { PlanCore } from "../evidence/plan-model.js";
import { stackRecord, type StackRecord } from "../targets/record.js";

/** The flag that overrides the reactivation and rename limits, with a reason. */
export const CHANGE_OVERRIDE_FLAG = "--allow-mass-change";

/**
 * People the plan brings back to an active, enabled account: a leaver or someone on leave at
 * the last apply, or someone without an account then whose start date had already passed
 * (a deleted leaver re-appearing, a row that had dropped out of the export). New joiners and
 * pre-hires reaching their first day are not reactivations. Nothing is counted on a first
 * apply: there is nothing to come back from.
 */
export function reactivatedPeople(plan: PlanCore, desired: DesiredState, previous: StackRecord | undefined): string[] {
  if (!previous) return [];
  const changes = new Map(plan.people.map((p) => [p.id, p.change]));
  return desired.people
    .filter((p) => p.state === "active" && p.account === "enabled")
    .filter((p) => {
      const was = previous.accounts[p.id];
      if (!was) return p.startDate !== undefined && p.startDate < previous.asOf;
      if (was.state !== undefined) return was.state === "leaver" || was.state === "leave";
      // A record from before states were kept: an account switched on for someone who had
      // started by the last apply (so it was no pre-hire waiting for its first day).
      return changes.get(p.id) === "enabled" && p.startDate !== undefined && p.startDate <= previous.asOf;
    })
    .map((p) => p.id);
}

/**
 * People whose account keeps its worker ID but gets a new login or email. Compared as the
 * record keeps them — the targets' own userName and email — so a target whose userName is the
 * email is not mistaken for a rename of everyone.
 */
export function renamedPeople(desired: DesiredState, previous: StackRecord | undefined): string[] {
  if (!previous) return [];
  const now = stackRecord(desired, Object.keys(previous.holdings)).accounts;
  return desired.people
    .filter((p) => p.account !== "absent")
    .filter((p) => {
      const was = previous.accounts[p.id];
      const is = now[p.id];
      if (!was || !is) return false;
      return was.email !== is.email || (was.userName !== undefined && was.userName !== is.userName);
    })
    .map((p) => p.id);
}

/**
 * The reactivation and rename limits, each by count and by share of the people: a changed
 * template renames everyone, a roster with its status column lost brings leavers back.
 */
export function checkChangeLimits(plan: PlanCore, desired: DesiredState, previous: StackRecord | undefined, policy: Policy, override?: string): GuardrailVerdict[] {
  const base = Object.values(previous?.accounts ?? {}).filter((a) => a.kind === "person").length || desired.people.length;
  const verdicts: GuardrailVerdict[] = [];
  const limit = (name: string, what: string, ids: string[], max: { count: number; percent: number }) => {
    const percent = base === 0 ? 0 : (ids.length / base) * 100;
    const named = ids.length === 0 ? "" : `: ${ids.slice(0, 10).join(", ")}${ids.length > 10 ? ` and ${ids.length - 10} more` : ""}`;
    verdicts.push(
      verdict(override, `${name}-count`, `${max.count} people`, `${ids.length} people`, ids.length <= max.count, `${ids.length} people ${what} (limit ${max.count})${named}`),
      verdict(override, `${name}-percent`, fmt(max.percent), fmt(percent), percent <= max.percent, `${fmt(percent)} of ${base} people ${what} (limit ${fmt(max.percent)})`),
    );
  };
  limit("max-reactivations", "are re-enabled", reactivatedPeople(plan, desired, previous), policy.guardrails.maxReactivations);
  limit("max-renames", "get a new login or email", renamedPeople(desired, previous), policy.guardrails.maxRenames);
  return verdicts;
}

function verdict(override: string | undefined, name: string, limit: string, actual: string, ok: boolean, message: string): GuardrailVerdict {
  return {
    name,
    limit,
    actual,
    verdict: ok ? "pass" : override ? "overridden" : "fail",
    message: ok ? message : override ? `${message} — overridden: ${override}` : `${message}; if this is intended, run again with ${CHANGE_OVERRIDE_FLAG} "<reason>"`,
  };
}

const fmt = (n: number) => `${Math.round(n * 10) / 10}%`;
