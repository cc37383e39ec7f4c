import type { Finding } from "../../model/finding.js";
import type { OktaTargetSettings } from "./settings.js";
import { catalogPlace, emailLimits, lengthLimit, limitFinding, usersOf, type LimitContext } from "../limit-context.js";

/**
 * Okta's base user profile schema (Users API, "Default profile properties"): login and email
 * 5–100 characters, the login email-formatted unless the org changed it; firstName and
 * lastName 1–50. Group names are at most 255 characters.
 */
export const OKTA_LIMITS = { login: 100, email: 100, firstName: 50, lastName: 50, groupName: 255 } as const;

export function oktaLimits(ctx: LimitContext<OktaTargetSettings>): Finding[] {
  const findings = emailLimits(ctx, "okta");
  for (const u of usersOf(ctx, "okta")) {
    findings.push(
      ...lengthLimit(ctx, "okta", u, "the login", u.userName, OKTA_LIMITS.login),
      ...(u.email !== u.userName ? lengthLimit(ctx, "okta", u, "the email", u.email, OKTA_LIMITS.email) : []),
      ...lengthLimit(ctx, "okta", u, "firstName", u.givenName, OKTA_LIMITS.firstName),
      ...lengthLimit(ctx, "okta", u, "lastName", u.familyName, OKTA_LIMITS.lastName),
    );
  }
  for (const g of ctx.desired.targets.okta?.groups ?? []) {
    if ([...g.displayName].length > OKTA_LIMITS.groupName) {
      findings.push(limitFinding("okta", catalogPlace(ctx, `okta.groups.${g.key}.name`), `group ${g.key}: its name is ${[...g.displayName].length} characters; at most ${OKTA_LIMITS.groupName}`, "shorten it in catalog.yaml"));
    }
  }
  return findings;
}
