import type { Condition } from "../model/rule.js";
import type { Attributes } from "./conditions.js";

/**
 * Narrows which rules can match a person before any is evaluated. Most rules test one
 * single-valued attribute for equality (a department, a location, a cost centre) — directly or
 * as a part of `all` — and cannot hold for anyone without that value: they are looked up by
 * the person's value instead of being tried. Candidates keep the rules' file order, so reasons
 * come out in the same order as without the index.
 */
export function indexRules(conditions: readonly Condition[]): (attributes: Attributes) => number[] {
  const byValue = new Map<string, Map<string, number[]>>();
  const always: number[] = [];
  conditions.forEach((condition, i) => {
    const guard = guardOf(condition);
    if (!guard) {
      always.push(i);
      return;
    }
    let values = byValue.get(guard.attribute);
    if (!values) byValue.set(guard.attribute, (values = new Map()));
    for (const v of guard.values) values.set(v, [...(values.get(v) ?? []), i]);
  });
  // People with the same values of the guarding attributes have the same candidates: one list each.
  const guarded = [...byValue];
  const lists = new Map<string, number[]>();
  return (attributes) => {
    const key = JSON.stringify(guarded.map(([attribute]) => (typeof attributes[attribute] === "string" ? attributes[attribute] : null)));
    let candidates = lists.get(key);
    if (candidates) return candidates;
    candidates = [...always];
    for (const [attribute, values] of guarded) {
      const actual = attributes[attribute];
      if (typeof actual === "string") candidates.push(...(values.get(actual) ?? []));
    }
    lists.set(key, candidates.sort((a, b) => a - b));
    return candidates;
  };
}

/** An equality on a single-valued attribute that must hold for the condition to hold. */
function guardOf(condition: Condition): { attribute: string; values: string[] } | undefined {
  if ("all" in condition && Array.isArray(condition.all)) {
    for (const part of condition.all as Condition[]) {
      const guard = guardOf(part);
      if (guard) return guard;
    }
    return undefined;
  }
  if (("any" in condition && Array.isArray(condition.any)) || ("not" in condition && typeof condition.not === "object" && !Array.isArray(condition.not))) {
    return undefined;
  }
  for (const [attribute, expected] of Object.entries(condition as Record<string, string | boolean | string[]>)) {
    if (MULTI_OR_BOOLEAN.has(attribute) || typeof expected === "boolean") continue;
    return { attribute, values: Array.isArray(expected) ? expected : [expected] };
  }
  return undefined;
}

/** Attributes a guard cannot use: multi-valued (a match on any member) or boolean. */
const MULTI_OR_BOOLEAN = new Set(["reportsTo", "isManager"]);
