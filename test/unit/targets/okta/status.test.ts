import { describe, expect, it } from "vitest";
import { decideStatus, type OktaUserStatus } from "../../../../src/targets/okta/status.js";

type Row = [string, OktaUserStatus, { declared?: OktaUserStatus; observed?: string } | undefined, OktaUserStatus, boolean, boolean];

/**
 * Okta's lifecycle transitions (Users API; terraform-provider-okta user.go updateUserStatus):
 * what rolecall declares, whether it holds the status as Okta has it, whether the profile is
 * frozen — from what the lifecycle wants and what rolecall declared last run.
 */
describe("decideStatus", () => {
  it.each<Row>([
    // wanted, previous, → status, hold, freeze
    ["joiner: created active", "ACTIVE", undefined, "ACTIVE", false, false],
    ["pre-hire: created STAGED, no activation email", "STAGED", undefined, "STAGED", false, false],
    ["first created while on leave: STAGED, not created active and then suspended", "SUSPENDED", undefined, "STAGED", false, false],
    ["first created as a leaver in grace: STAGED, never activated", "DEPROVISIONED", undefined, "STAGED", false, false],
    ["pre-hire's start date: activated", "ACTIVE", { declared: "STAGED" }, "ACTIVE", false, false],
    ["pre-hire still waiting: STAGED held (creation-only)", "STAGED", { declared: "STAGED" }, "STAGED", true, false],
    ["pre-hire who goes on leave before starting: stays STAGED (suspend needs ACTIVE)", "SUSPENDED", { declared: "STAGED" }, "STAGED", true, false],
    ["leave: suspended", "SUSPENDED", { declared: "ACTIVE" }, "SUSPENDED", false, false],
    ["back from leave: unsuspended", "ACTIVE", { declared: "SUSPENDED" }, "ACTIVE", false, false],
    ["still on leave, reactivated by someone: suspended again", "SUSPENDED", { declared: "SUSPENDED", observed: "ACTIVE" }, "SUSPENDED", false, false],
    ["leaver: deactivated, profile frozen", "DEPROVISIONED", { declared: "ACTIVE" }, "DEPROVISIONED", false, true],
    ["leaver in grace: stays deactivated, frozen", "DEPROVISIONED", { declared: "DEPROVISIONED" }, "DEPROVISIONED", false, true],
    ["rehire in grace before the start date: stays deactivated, frozen (no refused profile edit)", "STAGED", { declared: "DEPROVISIONED" }, "DEPROVISIONED", false, true],
    ["rehire in grace on the start date: reactivated, then the profile updated (same update)", "ACTIVE", { declared: "DEPROVISIONED" }, "ACTIVE", false, false],
    ["rehire after grace: the account was deleted, so it is created again", "STAGED", undefined, "STAGED", false, false],
    ["active again but a pre-hire (start date moved): suspended, STAGED is creation-only", "STAGED", { declared: "ACTIVE" }, "SUSPENDED", false, false],
    ["admin lockout of an active account: held, reported", "ACTIVE", { declared: "ACTIVE", observed: "LOCKED_OUT" }, "ACTIVE", true, false],
    ["admin suspension of an active account: held", "ACTIVE", { declared: "ACTIVE", observed: "SUSPENDED" }, "ACTIVE", true, false],
    ["admin deactivation of an active account: held, and the profile frozen as Okta requires", "ACTIVE", { declared: "ACTIVE", observed: "DEPROVISIONED" }, "ACTIVE", true, true],
    ["an account from before statuses were recorded: the lifecycle's status, no transition", "ACTIVE", {}, "ACTIVE", true, false],
  ])("%s", (_, wanted, previous, status, holdStatus, freezeProfile) => {
    expect(decideStatus(wanted, previous)).toEqual({ status, holdStatus, freezeProfile });
  });

  it("reverts other writers' changes to an active account only when the settings say so", () => {
    expect(decideStatus("ACTIVE", { declared: "ACTIVE", observed: "SUSPENDED" }, true)).toEqual({ status: "ACTIVE", holdStatus: false, freezeProfile: false });
    // STAGED can never be re-declared on an existing account, revert or not.
    expect(decideStatus("STAGED", { declared: "STAGED", observed: "ACTIVE" }, true).holdStatus).toBe(true);
  });
});
