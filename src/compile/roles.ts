import type { Finding } from "../model/finding.js";
import type { Located } from "../model/person.js";
import type { Role } from "../model/role.js";
import type { Reason } from "../model/desired-state.js";
import type { RoleGrants } from "../model/previous.js";

export interface RoleIndex {
  byId: Map<string, Located<Role>>;
  /** Every role a role brings with it, itself first, each with its include chain (and the shared include reason). */
  closure(roleId: string): { role: string; via: string[]; reason?: Reason }[];
}

/** Indexes roles, reporting duplicates, unknown includes and include cycles. */
export function indexRoles(roles: Located<Role>[]): { index: RoleIndex; findings: Finding[] } {
  const findings: Finding[] = [];
  const byId = new Map<string, Located<Role>>();
  for (const role of roles) {
    const earlier = byId.get(role.value.id);
    if (earlier) {
      findings.push({
        severity: "error",
        code: "duplicate-role",
        message: `role '${role.value.id}' is defined twice (also at ${earlier.at.file}:${earlier.at.line})`,
        ...role.at,
        hint: "give each role a unique id",
      });
      continue;
    }
    byId.set(role.value.id, role);
  }
  for (const role of byId.values()) {
    for (const included of role.value.includes) {
      if (!byId.has(included)) {
        findings.push({
          severity: "error",
          code: "unknown-role",
          message: `role '${role.value.id}' includes unknown role '${included}'`,
          ...role.at,
          hint: "define the role under roles/ or remove it from includes",
        });
      }
    }
  }
  const cyclic = findCycles(byId);
  for (const cycle of cyclic) {
    const first = byId.get(cycle[0]!)!;
    findings.push({
      severity: "error",
      code: "role-include-cycle",
      message: `roles include each other in a cycle: ${[...cycle, cycle[0]].join(" → ")}`,
      ...first.at,
      hint: "remove one of the includes so the chain ends",
    });
  }

  const memo = new Map<string, { role: string; via: string[]; reason?: Reason }[]>();
  const closure = (roleId: string): { role: string; via: string[]; reason?: Reason }[] => {
    const cached = memo.get(roleId);
    if (cached) return cached;
    const seen = new Set<string>([roleId]);
    const result: { role: string; via: string[]; reason?: Reason }[] = [{ role: roleId, via: [] }];
    // Breadth-first so the shortest include chain is the one reported.
    for (let i = 0; i < result.length; i++) {
      const current = result[i]!;
      for (const included of byId.get(current.role)?.value.includes ?? []) {
        if (seen.has(included) || !byId.has(included)) continue;
        seen.add(included);
        const via = [...current.via, current.role];
        result.push({ role: included, via, reason: { kind: "include", via } });
      }
    }
    memo.set(roleId, result);
    return result;
  };
  return { index: { byId, closure }, findings };
}

function findCycles(byId: Map<string, Located<Role>>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (id: string) => {
    state.set(id, "visiting");
    stack.push(id);
    for (const next of byId.get(id)?.value.includes ?? []) {
      if (!byId.has(next)) continue;
      if (state.get(next) === "visiting") cycles.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(id, "done");
  };
  for (const id of [...byId.keys()].sort()) if (!state.has(id)) visit(id);
  return cycles;
}

/** What each role grants directly, per target as `kind:key`, and which roles it includes. */
export function roleGrantsOf(roles: RoleIndex): RoleGrants {
  const grants: RoleGrants = {};
  for (const id of [...roles.byId.keys()].sort()) {
    const { includes, entitlements } = roles.byId.get(id)!.value;
    const items: Record<string, string[]> = {};
    for (const [target, kinds] of Object.entries(entitlements) as [string, Record<string, string[]> | undefined][]) {
      const list = Object.entries(kinds ?? {}).flatMap(([kind, keys]) => keys.map((key) => `${KIND_OF[kind] ?? kind}:${key}`));
      if (list.length > 0) items[target] = list.sort();
    }
    grants[id] = { includes: [...includes], items };
  }
  return grants;
}

/** Entitlement lists → the item kinds projections and the stack record use. */
const KIND_OF: Record<string, string> = { groups: "group", adminRoles: "adminRole", directoryRoles: "directoryRole" };
