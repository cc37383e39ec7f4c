import type { Finding } from "../model/finding.js";
import type { Grant } from "../model/grant.js";
import type { Located } from "../model/person.js";
import type { Policy } from "../model/policy.js";
import { addDays, daysBetween } from "./dates.js";
import type { LifecycleById } from "./lifecycle.js";
import type { RoleIndex } from "./roles.js";

/**
 * Which grants hold on the as-of date. A grant that breaks policy (too long; a privileged role
 * without ticket or independent approver; granted to a leaver; approved by someone not
 * active) is an error and is not honoured. An expired one simply stops holding, and says so.
 */
export function grantsInForce(
  grants: Located<Grant>[],
  lives: LifecycleById,
  roles: RoleIndex,
  policy: Policy,
  asOf: string,
): { holding: Located<Grant>[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const holding: Located<Grant>[] = [];
  const seen = new Map<string, Located<Grant>>();
  for (const located of grants) {
    const { value: grant, at } = located;
    const grantee = lives.get(grant.worker);
    // A grantee missing from the roster is an integrity error (unknown-worker).
    if (!grantee) continue;
    if (grantee.state === "leaver") {
      // Never an error: a stale grant must not block the deprovisioning of the one who left.
      findings.push({ severity: "warning", code: "grant-to-leaver", message: `grant '${grant.id}' is for ${grant.worker}, who has left (${grantee.reason}); it is not honoured`, ...at, hint: "remove the grant" });
      continue;
    }
    const problems: Omit<Finding, "file" | "line">[] = [];
    const earlier = seen.get(grant.id);
    if (earlier) problems.push({ severity: "error", code: "duplicate-grant", message: `grant '${grant.id}' is defined twice (also at ${earlier.at.file}:${earlier.at.line})`, hint: "give each grant a unique id" });
    seen.set(grant.id, located);
    if (grant.expires < grant.granted) {
      problems.push({ severity: "error", code: "grant-dates", message: `grant '${grant.id}' expires (${grant.expires}) before it is granted (${grant.granted})`, hint: "swap or correct the dates" });
    }
    const days = daysBetween(grant.granted, grant.expires) + 1;
    if (days > policy.grants.maxDays) {
      problems.push({ severity: "error", code: "grant-too-long", message: `grant '${grant.id}' lasts ${days} days; policy allows ${policy.grants.maxDays}`, hint: `let it expire by ${addDays(grant.granted, policy.grants.maxDays - 1)} and renew it with a new approval if still needed` });
    }
    const privileged = roles.byId.get(grant.role)?.value.privileged === true;
    if (privileged && policy.grants.privilegedNeedTicketAndApprover && (!grant.ticket || !grant.approvedBy)) {
      problems.push({ severity: "error", code: "grant-unapproved", message: `grant '${grant.id}' gives privileged role '${grant.role}' without ${!grant.ticket ? "a ticket" : "an approver"}`, hint: "add the change ticket and the approver's worker ID" });
    }
    if (grant.approvedBy === grant.worker) {
      problems.push({ severity: "error", code: "grant-self-approved", message: `grant '${grant.id}' is approved by its own grantee ${grant.worker}`, hint: "someone other than the grantee must approve it" });
    } else if (grant.approvedBy && lives.has(grant.approvedBy) && lives.get(grant.approvedBy)!.state !== "active") {
      // Time makes this true without anyone editing the grant (the approver leaves): drop the
      // grant with a warning rather than block every other change in the run.
      problems.push({ severity: "warning", code: "grant-approver-inactive", message: `grant '${grant.id}' is approved by ${grant.approvedBy}, who is ${lives.get(grant.approvedBy)!.state}`, hint: "have an active worker approve it" });
    }
    // A grant that has run out gives no access today: what was wrong with it is history.
    const over = grant.expires < asOf;
    findings.push(...problems.map((p) => ({ ...p, ...(over && p.severity === "error" ? { severity: "warning" as const } : {}), ...at })));
    if (problems.length > 0) continue;
    if (grant.expires < asOf) {
      findings.push({ severity: "info", code: "grant-expired", message: `grant '${grant.id}' (${grant.role} for ${grant.worker}) expired on ${grant.expires} and is no longer declared`, ...at, hint: "remove it from grants/ once the access is gone" });
    } else if (grant.granted > asOf) {
      findings.push({ severity: "info", code: "grant-not-started", message: `grant '${grant.id}' starts on ${grant.granted}`, ...at });
    } else {
      holding.push(located);
    }
  }
  return { holding, findings };
}

/**
 * Privileged grants a pull request's author approved themselves, for the plan workflow: the
 * approver written in the file is the person who wrote it, so nobody independent approved.
 * Authors are GitHub users, mapped to workers through github.yaml (`handles`). `unchanged`
 * says which grants the base branch already had exactly so — those were approved in an
 * earlier review and are not this pull request's doing. An author with no worker mapped
 * cannot be told apart from an approver, so their privileged grants are refused too.
 */
export function grantsApprovedByAuthor(
  grants: readonly Located<Grant>[],
  roles: RoleIndex,
  handles: Readonly<Record<string, string>>,
  author: string,
  unchanged: (grant: Grant) => boolean,
): Finding[] {
  const login = author.replace(/^@/, "").toLowerCase();
  const authors = new Set(Object.entries(handles).filter(([, handle]) => handle.toLowerCase() === login).map(([worker]) => worker));
  const privileged = (role: string) => roles.closure(role).some((r) => roles.byId.get(r.role)?.value.privileged === true);
  const findings: Finding[] = [];
  for (const { value: grant, at } of grants) {
    if (!privileged(grant.role) || unchanged(grant)) continue;
    if (authors.size === 0) {
      findings.push({ severity: "error", code: "grant-author-unknown", message: `privileged grant '${grant.id}' is changed by @${login}, who is no worker in github.yaml: rolecall cannot tell whether they approved it themselves`, ...at, hint: `add the author's worker ID and GitHub handle to github.yaml, or have someone else open the pull request` });
    } else if (grant.approvedBy !== undefined && authors.has(grant.approvedBy)) {
      findings.push({ severity: "error", code: "grant-approved-by-author", message: `privileged grant '${grant.id}' is approved by ${grant.approvedBy}, who opened this pull request (@${login})`, ...at, hint: "the approver must be someone other than the pull request's author: have the approver open it, or name an independent approver who reviews it" });
    }
  }
  return findings;
}
