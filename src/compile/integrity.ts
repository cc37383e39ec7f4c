import type { Finding } from "../model/finding.js";
import type { Inputs } from "../model/inputs.js";
import { PERSON_FIELDS } from "../model/hr-source.js";
import type { Condition } from "../model/rule.js";
import { DERIVED_ATTRIBUTES } from "./conditions.js";
import { currentRows, hasEnded, type CurrentRows } from "./history.js";
import { effectiveEndDate } from "./lifecycle.js";
import { fieldAt, settingAt } from "./places.js";
import type { RoleIndex } from "./roles.js";
import { ALL_TARGETS } from "../targets/registry.js";

const RULE_ATTRIBUTES = new Set<string>([...PERSON_FIELDS, ...DERIVED_ATTRIBUTES]);

/** Cross-file checks: every reference resolves and every key is unique. `current` is the roster's current rows, when the caller has them already. */
export function checkIntegrity(inputs: Inputs, roles: RoleIndex, asOf: string, current = currentRows(inputs.roster, asOf)): Finding[] {
  const findings: Finding[] = [];
  findings.push(...current.findings);
  const rowOf = current.rowOf;
  for (const row of current.rows) {
    const { workerId, startDate, endDate, workerType } = row.value;
    if (endDate && endDate < startDate) {
      // A rehire's row still carrying the old termination date: history, not today's access.
      findings.push({ severity: "warning", code: "stale-end-date", message: `worker ${workerId} ends (${endDate}) before starting (${startDate}); the end date is taken as an earlier employment's and ignored`, ...row.at, hint: "clear or correct the end date in the HR export" });
    }
    if (workerType === "contractor" && !effectiveEndDate(row.value) && !hasEnded(row.value, asOf) && inputs.policy.lifecycle.contractorsNeedEndDate) {
      findings.push({ severity: "error", code: "contractor-without-end-date", message: `contractor ${workerId} has no end date`, ...row.at, hint: "contracts end: set the end date in the HR export (policy lifecycle.contractorsNeedEndDate)" });
    }
  }
  findings.push(...managerCycles(current));
  // With no readable roster every reference is "unknown": that error is already reported once.
  const unknown = (workerId: string) => rowOf.size > 0 && !rowOf.has(workerId);
  for (const [i, row] of inputs.roster.entries()) {
    const manager = row.value.managerId;
    // A current row's manager is looked up already; only an earlier employment's row is looked up here.
    if (manager && (current.rows[i] === row ? current.managerRow[i] === -1 : !rowOf.has(manager))) {
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
  const known = ALL_TARGETS.map((t): [string, [string, Record<string, unknown> | undefined][]] => {
    const section = (catalog as Record<string, Record<string, Record<string, unknown>> | undefined>)[t.name];
    return [t.name, t.held.map((h) => [h.field, section?.[h.field]])];
  });
  for (const roleItem of roles.byId.values()) {
    const { value: role, at } = roleItem;
    for (const [target, kinds] of known) {
      const granted = (role.entitlements as Record<string, Record<string, string[]> | undefined>)[target];
      for (const [kind, entries] of kinds) {
        for (const [index, key] of (granted?.[kind] ?? []).entries()) {
          if (!entries || !(key in entries)) {
            findings.push({
              severity: "error",
              code: "unknown-catalog-key",
              message: `role '${role.id}' grants ${target} ${kind} '${key}', which catalog.yaml does not declare`,
              ...fieldAt(roleItem, `entitlements.${target}.${kind}.${index}`),
              hint: `add it under ${target}.${kind} in catalog.yaml or fix the key`,
            });
          }
        }
      }
    }
    const administers = ALL_TARGETS.flatMap((t) => t.held.filter((h) => h.administrative).flatMap((h) => (role.entitlements as Record<string, Record<string, string[]> | undefined>)[t.name]?.[h.field] ?? []));
    if (administers.length > 0 && !role.privileged) {
      findings.push({
        severity: "error",
        code: "admin-role-not-privileged",
        message: `role '${role.id}' hands out administrator roles (${administers.join(", ")}) but is not marked privileged`,
        ...at,
        hint: "set privileged: true so grants of it need a ticket and an approver",
      });
    }
    if (unknown(role.owner)) {
      findings.push({
        severity: "error",
        code: "unknown-owner",
        message: `role '${role.id}' is owned by ${role.owner}, who is not in the roster`,
        ...fieldAt(roleItem, "owner"),
        hint: "name the owner by the worker ID in the HR export (a leaver stays in the export with an end date)",
      });
    }
  }
  const ruleIds = new Map<string, string>();
  for (const ruleItem of inputs.rules) {
    const { value: rule, at } = ruleItem;
    const earlier = ruleIds.get(rule.id);
    if (earlier) findings.push({ severity: "error", code: "duplicate-rule", message: `rule '${rule.id}' is defined twice (also at ${earlier})`, ...at, hint: "give each rule a unique id" });
    ruleIds.set(rule.id, `${at.file}:${at.line}`);
    for (const [index, role] of rule.assign.entries()) {
      if (!roles.byId.has(role)) {
        findings.push({ severity: "error", code: "unknown-role", message: `rule '${rule.id}' assigns unknown role '${role}'`, ...fieldAt(ruleItem, `assign.${index}`), hint: "define the role under roles/" });
      }
    }
    for (const attribute of attributesIn(rule.when)) {
      if (!RULE_ATTRIBUTES.has(attribute)) {
        findings.push({
          severity: "error",
          code: "unknown-attribute",
          message: `rule '${rule.id}' tests unknown attribute '${attribute}'`,
          ...fieldAt(ruleItem, "when"),
          hint: `use one of ${[...RULE_ATTRIBUTES].join(", ")}`,
        });
      }
    }
  }
  const conflicts = new Set(inputs.policy.separationOfDuties.map((c) => c.id));
  for (const grantItem of inputs.grants) {
    const grant = grantItem.value;
    if (!roles.byId.has(grant.role)) {
      findings.push({ severity: "error", code: "unknown-role", message: `grant '${grant.id}' is for unknown role '${grant.role}'`, ...fieldAt(grantItem, "role"), hint: "define the role under roles/" });
    }
    if (unknown(grant.worker)) {
      findings.push({ severity: "error", code: "unknown-worker", message: `grant '${grant.id}' is for ${grant.worker}, who is not in the roster`, ...fieldAt(grantItem, "worker"), hint: "name the grantee by worker ID as in the HR export, or remove the grant" });
    }
    if (grant.approvedBy !== undefined && unknown(grant.approvedBy)) {
      findings.push({ severity: "error", code: "unknown-worker", message: `grant '${grant.id}' is approved by ${grant.approvedBy}, who is not in the roster`, ...fieldAt(grantItem, "approvedBy"), hint: "name the approver by worker ID as in the HR export" });
    }
    for (const [index, id] of grant.sodExceptions.entries()) {
      if (!conflicts.has(id)) {
        findings.push({ severity: "error", code: "unknown-sod-conflict", message: `grant '${grant.id}' excepts '${id}', which is no separation-of-duties conflict in policy.yaml`, ...fieldAt(grantItem, `sodExceptions.${index}`), hint: `use one of: ${[...conflicts].join(", ") || "(none defined)"}` });
      }
    }
  }
  for (const saItem of inputs.serviceAccounts) {
    const sa = saItem.value;
    if (unknown(sa.owner)) {
      // Unknown is not "left": a typo must not delete the account as if its owner had gone.
      findings.push({ severity: "error", code: "unknown-worker", message: `service account '${sa.id}' is owned by ${sa.owner}, who is not in the roster`, ...fieldAt(saItem, "owner"), hint: "name the owner by worker ID as in the HR export (a leaver stays in the export with an end date)" });
    }
  }
  for (const t of ALL_TARGETS) {
    const section = (catalog as Record<string, unknown>)[t.name];
    if (section !== undefined && t.catalogFindings) findings.push(...t.catalogFindings(section, (at) => settingAt(inputs, "catalog.yaml", `${t.name}.${at}`)));
  }
  inputs.policy.separationOfDuties.forEach((conflict, i) => {
    conflict.roles.forEach((role, j) => {
      if (roles.byId.has(role)) return;
      findings.push({ severity: "error", code: "unknown-role", message: `separation-of-duties conflict '${conflict.id}' names unknown role '${role}'`, ...settingAt(inputs, "policy.yaml", `separationOfDuties.${i}.roles.${j}`), hint: "define the role under roles/ or correct the conflict" });
    });
  });
  inputs.policy.protected.forEach((id, index) => {
    if (!unknown(id)) return;
    // An error: a protected ID that matches nobody protects nobody, and is usually a typo.
    findings.push({ severity: "error", code: "unknown-protected", message: `protected account ${id} is not in the roster`, ...settingAt(inputs, "policy.yaml", `protected.${index}`), hint: "protected lists worker IDs of break-glass accounts as in the HR export" });
  });
  return findings;
}

/**
 * Management chains that loop back on themselves, each reported once. A walk that reaches
 * someone an earlier walk went through stops there: the rest of the way is the same, and any
 * cycle on it is reported already.
 */
function managerCycles({ rows, rowOf, idOrder, managerRow }: CurrentRows): Finding[] {
  const findings: Finding[] = [];
  const reported = new Set<string>();
  const idOf = (row: number) => rows[row]!.value.workerId;
  // Walked by row index (managerRow): each manager is looked up by worker ID once, not at every step of every walk.
  // Everyone walked so far, in walking order, and where each is in it (-1: not yet): the current walk is the tail from `from`.
  const path: number[] = [];
  const position = new Int32Array(rows.length).fill(-1);
  for (const start of idOrder) {
    const from = path.length;
    for (let m = start; m !== -1; m = managerRow[m]!) {
      const at = position[m]!;
      if (at !== -1) {
        if (at >= from) {
          const cycle = path.slice(at).map(idOf);
          const key = [...cycle].sort().join(",");
          if (!reported.has(key)) {
            reported.add(key);
            const first = rows[rowOf.get([...cycle].sort()[0]!)!]!;
            findings.push({ severity: "error", code: "manager-cycle", message: `managers form a cycle: ${[...cycle, cycle[0]].join(" → ")}`, ...first.at, hint: "correct managerId so the chain ends at the top of the organisation" });
          }
        }
        break;
      }
      position[m] = path.length;
      path.push(m);
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
