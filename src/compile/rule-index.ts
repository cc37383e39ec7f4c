import type { Condition } from "../model/rule.js";
import type { Attributes } from "./conditions.js";

/** Some attribute must have one of these values for the condition to hold (for a multi-valued one: contain one). */
interface Guard {
  attribute: string;
  values: readonly string[];
}

/**
 * Narrows which rules can match a person before any is evaluated. Most rules test an
 * attribute for equality (a department, a location, a cost centre, a manager in the chain) —
 * directly, as a part of `all`, or in every branch of an `any` — and cannot hold for anyone
 * without one of those values: they are looked up by the person's values instead of being
 * tried. Candidates keep the rules' file order, each once, so reasons come out in the same
 * order as without the index.
 */
export function indexRules(conditions: readonly Condition[]): (attributes: Attributes) => number[] {
  const byValue = new Map<string, Map<string, number[]>>();
  const always: number[] = [];
  conditions.forEach((condition, i) => {
    const guards = guardsOf(condition);
    if (!guards) {
      always.push(i);
      return;
    }
    for (const guard of guards) {
      let values = byValue.get(guard.attribute);
      if (!values) byValue.set(guard.attribute, (values = new Map()));
      for (const v of guard.values) values.set(v, [...(values.get(v) ?? []), i]);
    }
  });
  // People with the same guarding values have the same candidates: one list each.
  const guarded = [...byValue];
  const lists = new Map<string, number[]>();
  const guardingValues = (actual: Attributes[string], values: Map<string, number[]>): string | readonly string[] | null => {
    if (typeof actual === "string") return actual;
    return Array.isArray(actual) ? actual.filter((v) => values.has(v)) : null;
  };
  return (attributes) => {
    const key = JSON.stringify(guarded.map(([attribute, values]) => guardingValues(attributes[attribute], values)));
    let candidates = lists.get(key);
    if (candidates) return candidates;
    // Marked by rule index, then read in index order: file order, each rule once, no sort.
    const found = new Uint8Array(conditions.length);
    for (const i of always) found[i] = 1;
    for (const [attribute, values] of guarded) {
      const actual = guardingValues(attributes[attribute], values);
      for (const v of typeof actual === "string" ? [actual] : (actual ?? [])) for (const i of values.get(v) ?? []) found[i] = 1;
    }
    candidates = [];
    for (let i = 0; i < found.length; i++) if (found[i]) candidates.push(i);
    lists.set(key, candidates);
    return candidates;
  };
}

/** Guards one of which must hold for the condition to hold; undefined when it needs none. */
function guardsOf(condition: Condition): Guard[] | undefined {
  if ("all" in condition && Array.isArray(condition.all)) {
    for (const part of condition.all as Condition[]) {
      const guards = guardsOf(part);
      if (guards) return guards;
    }
    return undefined;
  }
  if ("any" in condition && Array.isArray(condition.any)) {
    // A branch without a guard can hold for anyone, and so can the whole.
    const guards: Guard[] = [];
    for (const part of condition.any as Condition[]) {
      const own = guardsOf(part);
      if (!own) return undefined;
      guards.push(...own);
    }
    return guards;
  }
  if ("not" in condition && typeof condition.not === "object" && !Array.isArray(condition.not)) return undefined;
  // Every entry of a mapping must hold: any one that compares strings is a guard, a single-valued one first.
  const usable = Object.entries(condition as Record<string, string | boolean | string[]>).filter((entry): entry is [string, string | string[]] => typeof entry[1] !== "boolean" && !BOOLEAN.has(entry[0]));
  const guard = usable.find(([attribute]) => !MULTI_VALUED.has(attribute)) ?? usable[0];
  if (!guard) return undefined;
  const [attribute, expected] = guard;
  return [{ attribute, values: Array.isArray(expected) ? expected : [expected] }];
}

/** Attributes that hold a list: a guard on them is met by any member. */
const MULTI_VALUED = new Set(["reportsTo"]);
/** Attributes whose value is a boolean: no string value guards them. */
const BOOLEAN = new Set(["isManager"]);
