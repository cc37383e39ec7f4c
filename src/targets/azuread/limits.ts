import type { Finding } from "../../model/finding.js";
import type { AzureAdTargetSettings } from "./settings.js";
import { EMPLOYEE_ID_MAX } from "./convert.js";
import { accountPlace, catalogPlace, emailLimits, lengthLimit, limitFinding, usersOf, type LimitContext } from "../limit-context.js";

/**
 * Entra ID's limits on what rolecall sets (Microsoft Graph user and group resource types):
 * userPrincipalName at most 113 characters, 64 before the @ and 48 after it, the local part
 * only A–Z a–z 0–9 ' . - _ ! # ^ ~; mailNickname — which the provider derives from the UPN's
 * local part — at most 64 ASCII characters; displayName 256; givenName and surname 64;
 * department 64; jobTitle 128; employeeId 16; a group's displayName 256.
 */
export const AZUREAD_LIMITS = { upn: 113, upnLocal: 64, upnDomain: 48, displayName: 256, givenName: 64, surname: 64, department: 64, jobTitle: 128, groupDisplayName: 256 } as const;
const UPN_LOCAL = /^[A-Za-z0-9'._!#^~-]+$/;

export function azureAdLimits(ctx: LimitContext<AzureAdTargetSettings>): Finding[] {
  const findings = emailLimits(ctx, "azuread");
  for (const u of usersOf(ctx, "azuread")) {
    const at = u.userName.lastIndexOf("@");
    if (at > 0) {
      const local = u.userName.slice(0, at);
      const domain = ctx.settings.upnDomain ?? u.userName.slice(at + 1);
      const upn = `${local}@${domain}`;
      const place = accountPlace(ctx, u);
      const fix = "shorten the email in the HR export or the names the login template uses";
      if (local.length > AZUREAD_LIMITS.upnLocal) findings.push(limitFinding("azuread", place, `${u.key}: the userPrincipalName's local part (and mailNickname) '${local}' is ${local.length} characters; at most ${AZUREAD_LIMITS.upnLocal}`, fix));
      else if (upn.length > AZUREAD_LIMITS.upn) findings.push(limitFinding("azuread", place, `${u.key}: the userPrincipalName is ${upn.length} characters; at most ${AZUREAD_LIMITS.upn}`, fix));
      if (domain.length > AZUREAD_LIMITS.upnDomain) findings.push(limitFinding("azuread", place, `${u.key}: the userPrincipalName's domain '${domain}' is ${domain.length} characters; at most ${AZUREAD_LIMITS.upnDomain}`, "use a shorter verified domain (upnDomain in the stack)"));
      if (!UPN_LOCAL.test(local)) findings.push(limitFinding("azuread", place, `${u.key}: '${local}' cannot be a userPrincipalName or mailNickname: only letters, digits and ' . - _ ! # ^ ~`, "correct the email in the HR export"));
    }
    if (u.kind === "person" && u.externalId.length > EMPLOYEE_ID_MAX) {
      findings.push(limitFinding("azuread", accountPlace(ctx, u), `worker ID '${u.externalId}' is ${u.externalId.length} characters; Entra ID's employeeId holds at most ${EMPLOYEE_ID_MAX}`, "Entra ID cannot hold this worker ID: shorten worker IDs in the HRIS or leave azuread off this stack"));
    }
    findings.push(
      ...lengthLimit(ctx, "azuread", u, "displayName", u.displayName, AZUREAD_LIMITS.displayName),
      ...lengthLimit(ctx, "azuread", u, "givenName", u.givenName, AZUREAD_LIMITS.givenName),
      ...lengthLimit(ctx, "azuread", u, "surname", u.familyName, AZUREAD_LIMITS.surname),
      ...lengthLimit(ctx, "azuread", u, "department", u.department, AZUREAD_LIMITS.department),
      ...lengthLimit(ctx, "azuread", u, "jobTitle", u.title, AZUREAD_LIMITS.jobTitle),
    );
  }
  for (const g of ctx.desired.targets.azuread?.groups ?? []) {
    if ([...g.displayName].length > AZUREAD_LIMITS.groupDisplayName) {
      findings.push(limitFinding("azuread", catalogPlace(ctx, `azuread.groups.${g.key}.displayName`), `group ${g.key}: its displayName is ${[...g.displayName].length} characters; at most ${AZUREAD_LIMITS.groupDisplayName}`, "shorten it in catalog.yaml"));
    }
  }
  return findings;
}
