import type { Condition } from "../model/rule.js";

/** The attributes a rule can test: person fields plus the derived reportsTo and isManager. */
export type Attributes = Record<string, string | boolean | readonly string[] | undefined>;

export type Matched = Record<string, string | boolean>;

/** Attributes conditions may name beyond the person fields. */
export const DERIVED_ATTRIBUTES = ["reportsTo", "isManager"] as const;

/**
 * Evaluates a condition. Returns the attribute values that made it hold (the evidence for
 * the reason), or undefined when it does not hold. `not` and failed `any` branches
 * contribute nothing: what did not match is not a reason.
 */
export function evaluate(condition: Condition, attributes: Attributes): Matched | undefined {
  if ("all" in condition && Array.isArray(condition.all)) {
    const matched: Matched = {};
    for (const part of condition.all as Condition[]) {
      const m = evaluate(part, attributes);
      if (!m) return undefined;
      Object.assign(matched, m);
    }
    return matched;
  }
  if ("any" in condition && Array.isArray(condition.any)) {
    for (const part of condition.any as Condition[]) {
      const m = evaluate(part, attributes);
      if (m) return m;
    }
    return undefined;
  }
  if ("not" in condition && typeof condition.not === "object" && !Array.isArray(condition.not)) {
    return evaluate(condition.not as Condition, attributes) ? undefined : {};
  }
  const matched: Matched = {};
  for (const [attribute, expected] of Object.entries(condition as Record<string, string | boolean | string[]>)) {
    const actual = attributes[attribute];
    const hit = holds(actual, expected);
    if (hit === undefined) return undefined;
    matched[attribute] = hit;
  }
  return matched;
}

/** The value that satisfied `expected`, or undefined. Multi-valued attributes match on any member. */
function holds(actual: Attributes[string], expected: string | boolean | string[]): string | boolean | undefined {
  if (actual === undefined) return undefined;
  const options = Array.isArray(expected) ? expected : [expected];
  if (typeof actual === "boolean") return options.includes(actual as never) ? actual : undefined;
  const values = typeof actual === "string" ? [actual] : actual;
  return values.find((v) => options.includes(v));
}
