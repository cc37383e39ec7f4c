import type { LifecycleState, Person } from "../model/desired-state.js";
import type { Worker } from "../model/person.js";
import type { Policy } from "../model/policy.js";
import { addDays, daysBetween } from "./dates.js";

export type Account = Person["account"];

export interface Lifecycle {
  state: LifecycleState;
  /** Whether the account exists in targets, and whether it may sign in. */
  account: Account;
  /** Whether rules, roles and grants apply: never for pre-hires and leavers. */
  entitled: boolean;
  reason: string;
}

/** Lifecycles by worker ID, for the stages that look a worker up by the ID an input names (grants, exclusions, service accounts, losses). */
export interface LifecycleById {
  get(workerId: string): Lifecycle | undefined;
  has(workerId: string): boolean;
}

/**
 * Where a worker stands on the as-of date. `endDate` is the last working day; a leaver's
 * account stays disabled for the grace days after it, then is no longer declared.
 * `activeSince` makes an active worker's lifecycle from the start date (lifecyclesOf shares them).
 */
export function lifecycleOf(worker: Worker, asOf: string, policy: Policy, activeSince: (startDate: string) => Lifecycle = active): Lifecycle {
  const life = byDates(worker, asOf, policy, activeSince);
  // A break-glass account outlives any roster change: kept, disabled, until policy releases it.
  if (life.account === "absent" && policy.protected.includes(worker.workerId)) {
    return { ...life, account: "disabled", reason: `${life.reason}; kept because it is protected in policy.yaml` };
  }
  return life;
}

/**
 * lifecycleOf for every worker, aligned with them. Most workers are active, and an active
 * worker's lifecycle depends on the start date alone: one object per start date, shared by
 * everyone who started that day (so never to be changed), not one each to allocate and keep.
 */
export function lifecyclesOf(workers: readonly Worker[], asOf: string, policy: Policy): Lifecycle[] {
  const byStart = new Map<string, Lifecycle>();
  const activeSince = (startDate: string) => {
    let life = byStart.get(startDate);
    if (!life) byStart.set(startDate, (life = active(startDate)));
    return life;
  };
  return workers.map((worker) => lifecycleOf(worker, asOf, policy, activeSince));
}

/**
 * The end date of the current employment. One before the start date is a rehire's old
 * termination date still on the row: it ended an earlier employment, not this one.
 */
export function effectiveEndDate(worker: Worker): string | undefined {
  return worker.endDate !== undefined && worker.endDate >= worker.startDate ? worker.endDate : undefined;
}

function byDates(worker: Worker, asOf: string, policy: Policy, activeSince: (startDate: string) => Lifecycle): Lifecycle {
  const { preHireDays, leaverGraceDays, onLeave } = policy.lifecycle;
  const endDate = effectiveEndDate(worker);
  const ended = endDate !== undefined && endDate < asOf;
  if (worker.status === "terminated" || ended) {
    // Without an end date there is no day to count the grace from: remove at once.
    const lastDay = endDate ?? addDays(asOf, -leaverGraceDays - 1);
    const inGrace = asOf <= addDays(lastDay, leaverGraceDays);
    return {
      state: "leaver",
      account: inGrace ? "disabled" : "absent",
      entitled: false,
      reason: inGrace
        ? `left on ${lastDay}; account kept disabled until ${addDays(lastDay, leaverGraceDays)} (grace ${leaverGraceDays} days)`
        : endDate
          ? `left on ${endDate}; grace of ${leaverGraceDays} days over`
          : "terminated in HR (no end date)",
    };
  }
  if (worker.startDate > asOf) {
    const days = daysBetween(asOf, worker.startDate);
    const declared = days <= preHireDays;
    return {
      state: "prehire",
      account: declared ? "disabled" : "absent",
      entitled: false,
      reason: declared
        ? `starts on ${worker.startDate} (in ${days} days); account prepared, disabled`
        : `starts on ${worker.startDate}, beyond the ${preHireDays}-day pre-hire window`,
    };
  }
  if (worker.status === "leave") {
    const keep = onLeave === "keep-entitlements";
    return {
      state: "leave",
      account: "disabled",
      entitled: keep,
      reason: keep ? "on leave: sign-in disabled, entitlements kept (policy)" : "on leave: sign-in disabled, entitlements suspended (policy)",
    };
  }
  return activeSince(worker.startDate);
}

function active(startDate: string): Lifecycle {
  return { state: "active", account: "enabled", entitled: true, reason: `active since ${startDate}` };
}
