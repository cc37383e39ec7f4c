import type { HeldRole } from "../model/desired-state.js";
import type { Finding } from "../model/finding.js";
import type { Grant } from "../model/grant.js";
import type { Located } from "../model/person.js";
import type { Policy } from "../model/policy.js";

/**
 * Separation of duties: nobody may hold every role of a conflicting set, unless a grant in
 * force for that person names the conflict as an approved exception. The finding names where
 * each conflicting role came from, so the fix is obvious.
 */
export function checkSeparationOfDuties(
  person: { id: string; roles: HeldRole[]; source: { file: string; line: number } },
  policy: Policy,
  grants: Located<Grant>[],
): Finding[] {
  const findings: Finding[] = [];
  const held = new Map(person.roles.map((r) => [r.role, r]));
  for (const conflict of policy.separationOfDuties) {
    if (!conflict.roles.every((r) => held.has(r))) continue;
    const sources = conflict.roles.map((r) => `${r} (${held.get(r)!.reasons.map(describeReason).join("; ")})`).join(" and ");
    const exception = grants.find((g) => g.value.worker === person.id && g.value.sodExceptions.includes(conflict.id));
    findings.push(
      exception
        ? { severity: "info", code: "sod-exception", message: `${person.id} holds ${sources}, conflicting under '${conflict.id}'; approved by grant '${exception.value.id}'`, ...exception.at }
        : {
            severity: "error",
            code: "sod-conflict",
            message: `${person.id} would hold ${sources}: '${conflict.id}' forbids it (${conflict.reason})`,
            ...person.source,
            hint: `change the rules or roles so one of them no longer applies, or approve the exception with a grant listing '${conflict.id}' under sodExceptions`,
          },
    );
  }
  return findings;
}

/**
 * checkSeparationOfDuties for many people. Whether someone holds every role of a conflict
 * depends on their list of held roles alone, which people alike share: a list found clear of
 * conflicts is not looked at again.
 */
export function separationOfDutiesChecker(policy: Policy, grants: Located<Grant>[]): (person: Parameters<typeof checkSeparationOfDuties>[0]) => Finding[] {
  const clear = new Set<readonly HeldRole[]>();
  return (person) => {
    if (clear.has(person.roles)) return [];
    const findings = checkSeparationOfDuties(person, policy, grants);
    if (findings.length === 0) clear.add(person.roles);
    return findings;
  };
}

function describeReason(reason: HeldRole["reasons"][number]): string {
  switch (reason.kind) {
    case "rule":
      return `rule ${reason.rule}`;
    case "include":
      return `included by ${reason.via.join(" → ")}`;
    case "grant":
      return `grant ${reason.grant}`;
    case "service-account":
      return `service account ${reason.serviceAccount}`;
  }
}
