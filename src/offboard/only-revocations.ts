import { ACCOUNT_TYPES, type PlanCore } from "../evidence/plan-model.js";
import { changingSteps } from "../evidence/steps.js";
import type { Revocation } from "./revocations.js";

/** The account fields whose change disables an account (SCIM and AWS `active`, Okta `status`, Entra `accountEnabled`). */
const DISABLE_FIELDS: ReadonlySet<string> = new Set(["active", "status", "accountEnabled"]);

/** The fields of whole-set holding resources that list who holds what (SCIM and Entra group `members`, Okta per-user `groups` and `adminRoles`). */
const MEMBERSHIP_FIELDS: ReadonlySet<string> = new Set(["members", "groups", "adminRoles"]);

/**
 * Everything in a fast-path preview that is not a revocation, in words — the reason to refuse
 * it. The fast-path state is built to hold nothing else; this reads the engine's own steps so
 * that whatever the targets or providers would still do besides (drift put back, a provider's
 * computed change, a catalog edit) stops the run instead of riding along. Allowed: deleting a
 * revoked person's account or per-holder resource, disabling their account, and taking
 * revoked people out of a group or role — without touching anything else about it.
 */
export function notRevocations(plan: PlanCore, revocations: readonly Revocation[]): string[] {
  const revoked = new Set(revocations.map((r) => r.id));
  const problems: string[] = [];
  for (const step of changingSteps(plan.steps)) {
    const what = `${step.op} ${step.target || "(no target)"} ${step.name}`;
    if (step.op !== "update" && step.op !== "delete") {
      problems.push(`${what}: a fast-path run only updates and deletes`);
      continue;
    }
    if (ACCOUNT_TYPES.has(step.type)) {
      if (!revoked.has(step.name)) problems.push(`${what}: the account of someone who is not leaving`);
      else if (step.op === "update" && !step.diffs.every((d) => DISABLE_FIELDS.has(d))) {
        problems.push(`${what}: changes ${step.diffs.filter((d) => !DISABLE_FIELDS.has(d)).join(", ")}, not only whether the account is enabled`);
      }
      continue;
    }
    if (step.op === "delete" && !holderOf(step.name, revoked)) problems.push(`${what}: deletes something that is not a leaver's`);
    // Who holds it may shrink (the plan's groups say whose); nothing else about it may change.
    if (step.op === "update" && !step.diffs.every((d) => MEMBERSHIP_FIELDS.has(d))) {
      problems.push(`${what}: changes ${step.diffs.filter((d) => !MEMBERSHIP_FIELDS.has(d)).join(", ")}, not only who holds it`);
    }
  }
  for (const g of plan.groups) {
    if (g.op !== "update") problems.push(`${g.op} ${g.target} ${g.key}: a fast-path run neither creates nor deletes groups`);
    if (g.added.length > 0) problems.push(`${g.target} ${g.key} gains ${g.added.join(", ")}`);
    const others = g.removed.filter((u) => !revoked.has(u));
    if (others.length > 0) problems.push(`${g.target} ${g.key} loses ${others.join(", ")}, who are not leaving`);
  }
  for (const p of plan.people) {
    if (p.gains.length > 0) problems.push(`${p.id} gains ${p.gains.map((g) => `${g.target} ${g.kind} ${g.item}`).join(", ")}`);
    else if (!revoked.has(p.id)) problems.push(`${p.id} is not leaving but would change (${p.change})`);
  }
  for (const r of plan.risks.filter((r) => r.code === "drift")) problems.push(r.message);
  return [...new Set(problems)];
}

/** Per-holder resources are named `<holder>`, `<item>/<holder>` or `<holder>/<item>`. */
function holderOf(name: string, revoked: ReadonlySet<string>): boolean {
  return revoked.has(name) || name.split("/").some((part) => revoked.has(part));
}
