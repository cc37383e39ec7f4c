import type { Finding } from "../model/finding.js";
import type { Inputs } from "../model/inputs.js";
import { PERSON_FIELDS } from "../model/hr-source.js";
import type { Condition } from "../model/rule.js";
import { DERIVED_ATTRIBUTES } from "./conditions.js";
import type { RoleIndex } from "./roles.js";

const RULE_ATTRIBUTES = new Set<string>([...PERSON_FIELDS, ...DERIVED_ATTRIBUTES]);

/** Cross-file checks: every reference resolves and every key is unique. */
export function checkIntegrity(inputs: Inputs, roles: RoleIndex): Finding[] {
  const findings: Finding[] = [];
  const workers = new Map<string, (typeof inputs.roster)[number]>();
  for (const row of inputs.roster) {
    const earlier = workers.get(row.value.workerId);
    if (earlier) {
      findings.push({
        severity: "error",
        code: "duplicate-worker",
        message: `worker ID ${row.value.workerId} appears twice (also at line ${earlier.at.line})`,
        ...row.at,
        hint: "each worker has one row; a rehire reuses the same row with new dates",
      });
    } else workers.set(row.value.workerId, row);
  }
  for (const row of inputs.roster) {
    const { workerId, startDate, endDate, workerType } = row.value;
    if (endDate && endDate < startDate) {
      findings.push({ severity: "error", code: "end-before-start", message: `worker ${workerId} ends (${endDate}) before starting (${startDate})`, ...row.at, hint: "correct the dates in the HR export" });
    }
    if (workerType === "contractor" && !endDate && inputs.policy.lifecycle.contractorsNeedEndDate) {
      findings.push({ severity: "error", code: "contractor-without-end-date", message: `contractor ${workerId} has no end date`, ...row.at, hint: "contracts end: set the end date in the HR export (policy lifecycle.contractorsNeedEndDate)" });
    }
  }
  findings.push(...managerCycles(workers));
  for (const row of inputs.roster) {
    const manager = row.value.managerId;
    if (manager && !workers.has(manager)) {
      findings.push({
        // A warning: managers outside the export (a board, another entity's HRIS) are real, and
        // a truncated export is the guardrails' to catch. The management chain stops there.
        severity: "warning",
        code: "unknown-manager",
        message: `worker ${row.value.workerId} reports to unknown worker ${manager}`,
        ...row.at,
        hint: "correct managerId or add the manager to the export",
      });
    }
  }
  const catalog = inputs.catalog;
  const known: Record<string, [string, Record<string, unknown> | undefined][]> = {
    scim: [["groups", catalog.scim?.groups]],
    okta: [["groups", catalog.okta?.groups], ["adminRoles", catalog.okta?.adminRoles]],
    azuread: [["groups", catalog.azuread?.groups], ["directoryRoles", catalog.azuread?.directoryRoles]],
    aws: [["groups", catalog.aws?.groups]],
  };
  for (const { value: role, at } of roles.byId.values()) {
    for (const [target, kinds] of Object.entries(known)) {
      const granted = (role.entitlements as Record<string, Record<string, string[]> | undefined>)[target];
      for (const [kind, entries] of kinds) {
        for (const key of granted?.[kind] ?? []) {
          if (!entries || !(key in entries)) {
            findings.push({
              severity: "error",
              code: "unknown-catalog-key",
              message: `role '${role.id}' grants ${target} ${kind} '${key}', which catalog.yaml does not declare`,
              ...at,
              hint: `add it under ${target}.${kind} in catalog.yaml or fix the key`,
            });
          }
        }
      }
    }
    const administers = [...(role.entitlements.okta?.adminRoles ?? []), ...(role.entitlements.azuread?.directoryRoles ?? [])];
    if (administers.length > 0 && !role.privileged) {
      findings.push({
        severity: "error",
        code: "admin-role-not-privileged",
        message: `role '${role.id}' hands out administrator roles (${administers.join(", ")}) but is not marked privileged`,
        ...at,
        hint: "set privileged: true so grants of it need a ticket and an approver",
      });
    }
    // With no readable roster every owner is "unknown": that error is already reported once.
    if (workers.size > 0 && !workers.has(role.owner)) {
      findings.push({
        severity: "warning",
        code: "unknown-owner",
        message: `role '${role.id}' is owned by ${role.owner}, who is not in the roster`,
        ...at,
        hint: "name an owner by worker ID",
      });
    }
  }
  const ruleIds = new Map<string, string>();
  for (const { value: rule, at } of inputs.rules) {
    const earlier = ruleIds.get(rule.id);
    if (earlier) findings.push({ severity: "error", code: "duplicate-rule", message: `rule '${rule.id}' is defined twice (also at ${earlier})`, ...at, hint: "give each rule a unique id" });
    ruleIds.set(rule.id, `${at.file}:${at.line}`);
    for (const role of rule.assign) {
      if (!roles.byId.has(role)) {
        findings.push({ severity: "error", code: "unknown-role", message: `rule '${rule.id}' assigns unknown role '${role}'`, ...at, hint: "define the role under roles/" });
      }
    }
    for (const attribute of attributesIn(rule.when)) {
      if (!RULE_ATTRIBUTES.has(attribute)) {
        findings.push({
          severity: "error",
          code: "unknown-attribute",
          message: `rule '${rule.id}' tests unknown attribute '${attribute}'`,
          ...at,
          hint: `use one of ${[...RULE_ATTRIBUTES].join(", ")}`,
        });
      }
    }
  }
  for (const { value: grant, at } of inputs.grants) {
    if (!roles.byId.has(grant.role)) {
      findings.push({ severity: "error", code: "unknown-role", message: `grant '${grant.id}' is for unknown role '${grant.role}'`, ...at, hint: "define the role under roles/" });
    }
  }
  for (const [key, group] of Object.entries(catalog.aws?.groups ?? {})) {
    for (const a of group.assignments) {
      const missing = [!(a.account in (catalog.aws?.accounts ?? {})) && `account '${a.account}'`, !(a.permissionSet in (catalog.aws?.permissionSets ?? {})) && `permission set '${a.permissionSet}'`].filter(Boolean);
      if (missing.length > 0) {
        findings.push({ severity: "error", code: "unknown-catalog-key", message: `aws group '${key}' is assigned unknown ${missing.join(" and ")}`, file: "catalog.yaml", hint: "declare it under aws.accounts / aws.permissionSets" });
      }
    }
  }
  for (const conflict of inputs.policy.separationOfDuties) {
    for (const role of conflict.roles.filter((r) => !roles.byId.has(r))) {
      findings.push({ severity: "error", code: "unknown-role", message: `separation-of-duties conflict '${conflict.id}' names unknown role '${role}'`, file: "policy.yaml", hint: "define the role under roles/ or correct the conflict" });
    }
  }
  for (const id of inputs.policy.protected.filter((p) => !workers.has(p))) {
    findings.push({ severity: "warning", code: "unknown-protected", message: `protected account ${id} is not in the roster`, file: "policy.yaml", hint: "protected lists worker IDs of break-glass accounts" });
  }
  return findings;
}

/** Management chains that loop back on themselves, each reported once. */
function managerCycles(workers: Map<string, Inputs["roster"][number]>): Finding[] {
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const start of [...workers.keys()].sort()) {
    const path: string[] = [];
    for (let id: string | undefined = start; id !== undefined && workers.has(id); id = workers.get(id)!.value.managerId) {
      const at = path.indexOf(id);
      if (at >= 0) {
        const cycle = path.slice(at);
        const key = [...cycle].sort().join(",");
        if (!reported.has(key)) {
          reported.add(key);
          const first = workers.get([...cycle].sort()[0]!)!;
          findings.push({ severity: "error", code: "manager-cycle", message: `managers form a cycle: ${[...cycle, cycle[0]].join(" → ")}`, ...first.at, hint: "correct managerId so the chain ends at the top of the organisation" });
        }
        break;
      }
      path.push(id);
    }
  }
  return findings;
}

function attributesIn(condition: Condition): string[] {
  if ("all" in condition && Array.isArray(condition.all)) return (condition.all as Condition[]).flatMap(attributesIn);
  if ("any" in condition && Array.isArray(condition.any)) return (condition.any as Condition[]).flatMap(attributesIn);
  if ("not" in condition && typeof condition.not === "object" && !Array.isArray(condition.not)) return attributesIn(condition.not as Condition);
  return Object.keys(condition);
}
