import type { Finding } from "../../model/finding.js";
import type { AwsTargetSettings } from "./settings.js";
import { identityStoreUserName, isReservedName } from "./convert.js";
import { accountPlace, catalogPlace, emailLimits, lengthLimit, limitFinding, usersOf, type LimitContext } from "../limit-context.js";

/**
 * IAM Identity Center's limits (Identity Store and SSO Admin API references): a userName of
 * at most 128 characters, displayName and name parts 1024, "Administrator" and
 * "AWSAdministrators" reserved for users and groups; a permission set's session duration from
 * 1 to 12 hours, its description at most 700 characters of Latin-1, and no name that reads
 * like the roles Identity Center itself creates (AWSReservedSSO_<name>_<suffix>).
 */
export const AWS_LIMITS = { userName: 128, displayName: 1024, namePart: 1024, groupDisplayName: 1024, description: 700, minSessionMinutes: 60, maxSessionMinutes: 720 } as const;
const RESERVED_PREFIX = /^awsreservedsso/i;

/** A permission set's session duration in minutes, from PT<h>H<m>M; undefined if not that form. */
export function sessionMinutes(duration: string): number | undefined {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(duration);
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

export function awsLimits(ctx: LimitContext<AwsTargetSettings>): Finding[] {
  const findings = emailLimits(ctx, "aws");
  for (const u of usersOf(ctx, "aws")) {
    const userName = identityStoreUserName(u, ctx.settings);
    if (userName.length > AWS_LIMITS.userName) {
      findings.push(limitFinding("aws", accountPlace(ctx, u), `${u.key}: the Identity Store userName '${userName.slice(0, 40)}…' is ${userName.length} characters; at most ${AWS_LIMITS.userName}`, "shorten the worker ID or the stack's userNameSuffix"));
    }
    if (isReservedName(userName)) findings.push(limitFinding("aws", accountPlace(ctx, u), `${u.key}: '${userName}' is a reserved Identity Store name`, "give the account another key"));
    findings.push(
      ...lengthLimit(ctx, "aws", u, "displayName", u.displayName, AWS_LIMITS.displayName),
      ...lengthLimit(ctx, "aws", u, "givenName", u.givenName, AWS_LIMITS.namePart),
      ...lengthLimit(ctx, "aws", u, "familyName", u.familyName, AWS_LIMITS.namePart),
    );
  }
  for (const g of ctx.desired.targets.aws?.groups ?? []) {
    const place = catalogPlace(ctx, `aws.groups.${g.key}.displayName`);
    if (isReservedName(g.displayName)) findings.push(limitFinding("aws", place, `group ${g.key}: '${g.displayName}' is a reserved Identity Store name`, "rename it in catalog.yaml"));
    if ([...g.displayName].length > AWS_LIMITS.groupDisplayName) findings.push(limitFinding("aws", place, `group ${g.key}: its displayName is longer than ${AWS_LIMITS.groupDisplayName} characters`, "shorten it in catalog.yaml"));
  }
  for (const p of ctx.desired.targets.aws?.permissionSets ?? []) {
    const at = (field: string) => catalogPlace(ctx, `aws.permissionSets.${p.key}.${field}`);
    if (RESERVED_PREFIX.test(p.name)) findings.push(limitFinding("aws", at("name"), `permission set ${p.key}: the name '${p.name}' begins with AWSReservedSSO, the prefix of the roles Identity Center creates`, "choose a name without that prefix"));
    const minutes = sessionMinutes(p.sessionDuration);
    if (minutes === undefined || minutes < AWS_LIMITS.minSessionMinutes || minutes > AWS_LIMITS.maxSessionMinutes) {
      findings.push(limitFinding("aws", at("sessionDuration"), `permission set ${p.key}: session duration ${p.sessionDuration} is outside PT1H–PT12H`, "use an ISO 8601 duration from PT1H to PT12H, e.g. PT8H"));
    }
    if (p.description !== undefined && (p.description.length > AWS_LIMITS.description || !/^[\t\n\r\u0020-\u007e\u00a1-\u00ff]*$/.test(p.description))) {
      findings.push(limitFinding("aws", at("description"), `permission set ${p.key}: the description must be at most ${AWS_LIMITS.description} characters of Latin-1 text`, "shorten it or drop the characters outside Latin-1"));
    }
  }
  return findings;
}
