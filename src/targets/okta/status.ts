import type { DirectoryUser, LifecycleState } from "../../model/desired-state.js";

/** The `status` values okta_user accepts. */
export type OktaUserStatus = "ACTIVE" | "STAGED" | "SUSPENDED" | "DEPROVISIONED";
export const OKTA_USER_STATUSES: readonly OktaUserStatus[] = ["ACTIVE", "STAGED", "SUSPENDED", "DEPROVISIONED"];

/**
 * What the lifecycle asks for, before Okta's transition rules: ACTIVE when the account may sign
 * in; a pre-hire STAGED, someone on leave SUSPENDED (groups and app assignments kept), a leaver
 * in grace DEPROVISIONED (app assignments removed; the state Okta wants before a delete).
 */
const WANTED_WHEN_DISABLED: Record<LifecycleState, OktaUserStatus> = {
  prehire: "STAGED",
  leave: "SUSPENDED",
  leaver: "DEPROVISIONED",
  // An "active" person is never disabled; should one be, suspension is the reversible choice.
  active: "SUSPENDED",
};

export function wantedStatus(user: Pick<DirectoryUser, "active" | "state">): OktaUserStatus {
  if (user.active) return "ACTIVE";
  return WANTED_WHEN_DISABLED[user.state ?? "active"];
}

/**
 * What rolecall knows of an account from the stack's last run: that the stack holds it, and
 * the status rolecall itself declared for it then. `declared` is rolecall's own record (the
 * component's outputs), never the status read back from Okta, which other writers change.
 */
export interface OktaPreviousUser {
  declared?: OktaUserStatus;
  /** Okta's raw status as the last refresh saw it (LOCKED_OUT, SUSPENDED…), for the drift report. */
  observed?: string;
}

/** The status to declare and whether the engine may change it or the profile. */
export interface OktaStatusDecision {
  status: OktaUserStatus;
  /**
   * Leave the status as Okta has it: no transition of rolecall's own is due, so a difference
   * is another writer's (an administrator's suspension, a security tool's lockout) — reported as
   * drift, not reverted. Also set whenever the status is STAGED, which Okta only takes at creation.
   */
  holdStatus: boolean;
  /** The account is or stays DEPROVISIONED: Okta accepts no profile change on it. */
  freezeProfile: boolean;
}

/**
 * Okta's lifecycle transitions, from the status rolecall last declared (`previous`) to what the
 * lifecycle wants now. Okta's rules (Users API lifecycle operations; terraform-provider-okta
 * resource_okta_user.go and user.go updateUserStatus):
 * - STAGED only at creation, and creating with activate=false sends no activation email;
 * - suspend works only on an ACTIVE user;
 * - a DEPROVISIONED user takes no profile change, only a status change; the provider applies
 *   the status first, so DEPROVISIONED → ACTIVE with a new profile is one valid update.
 * `revertDrift`: the stack's settings ask for other writers' status changes to be undone.
 */
export function decideStatus(wanted: OktaUserStatus, previous: OktaPreviousUser | undefined, revertDrift = false): OktaStatusDecision {
  // A new account is created ACTIVE, or else STAGED: no activation email, nobody can sign in,
  // and no "create active, then suspend" that would mail an invitation to someone on leave.
  if (!previous) return { status: wanted === "ACTIVE" ? "ACTIVE" : "STAGED", holdStatus: false, freezeProfile: false };

  // A stack that recorded no status (written before statuses were recorded): the lifecycle's
  // status, as rolecall always declared it.
  const from = previous.declared ?? wanted;
  const status = reachable(from, wanted);
  if (status !== from) return { status, holdStatus: false, freezeProfile: status === "DEPROVISIONED" };
  // No transition of rolecall's own. Another writer can only have made an ACTIVE account more
  // restricted (suspended, locked out, deactivated): that is held. A SUSPENDED or DEPROVISIONED
  // account made active again is less restricted: that is reverted. STAGED cannot be declared
  // on an existing account at all.
  const holdStatus = status === "STAGED" || (status === "ACTIVE" && !revertDrift);
  // An account an administrator deactivated takes no profile change either (seen at the last refresh).
  const freezeProfile = status === "DEPROVISIONED" || (holdStatus && previous.observed === "DEPROVISIONED");
  return { status, holdStatus, freezeProfile };
}

/** The closest status to `wanted` that Okta lets an account reach from `from` in one update. */
function reachable(from: OktaUserStatus, wanted: OktaUserStatus): OktaUserStatus {
  if (wanted === "ACTIVE" || wanted === "DEPROVISIONED") return wanted;
  if (from === "STAGED") return "STAGED"; // never activated: it cannot be suspended, and it cannot sign in anyway
  if (from === "DEPROVISIONED") return "DEPROVISIONED"; // a rehire before the start date: stays deactivated, profile frozen
  return "SUSPENDED"; // ACTIVE or SUSPENDED: a pre-hire again (or on leave) is suspended, since STAGED is creation-only
}

/**
 * An existing account adopted this run: it exists, so STAGED (creation-only) becomes SUSPENDED,
 * and the status is declared, not held — adoption sets the lifecycle's status in the update the
 * engine runs right after the import, as the plan's adoption changes say. A DEPROVISIONED
 * account takes no profile change (the provider sends the status first).
 */
export function adoptedStatus(wanted: OktaUserStatus): OktaStatusDecision {
  const status = wanted === "STAGED" ? "SUSPENDED" : wanted;
  return { status, holdStatus: false, freezeProfile: status === "DEPROVISIONED" };
}
