import type { Condition } from "../model/rule.js";
import type { Attributes } from "../compile/conditions.js";
import { evaluate } from "../compile/conditions.js";

/**
 * Why a condition does not hold for these attributes: each failed test with the value the
 * person has. Empty when it holds. Uses compile's own evaluation for the verdict, so the
 * explanation can never disagree with what compile decided.
 */
export function conditionFailures(condition: Condition, attributes: Attributes): string[] {
  if (evaluate(condition, attributes)) return [];
  if ("all" in condition && Array.isArray(condition.all)) return (condition.all as Condition[]).flatMap((c) => conditionFailures(c, attributes));
  if ("any" in condition && Array.isArray(condition.any)) {
    return [`none of the alternatives holds: ${(condition.any as Condition[]).map((c) => conditionFailures(c, attributes).join(" and ")).join("; or ")}`];
  }
  if ("not" in condition && typeof condition.not === "object" && !Array.isArray(condition.not)) {
    const held = evaluate(condition.not as Condition, attributes) ?? {};
    const facts = Object.entries(held).map(([k, v]) => `${k} = ${String(v)}`);
    return [`the rule excludes ${facts.length > 0 ? facts.join(", ") : JSON.stringify(condition.not)}`];
  }
  return Object.entries(condition as Record<string, string | boolean | string[]>)
    .filter(([attribute, expected]) => !evaluate({ [attribute]: expected }, attributes))
    .map(([attribute, expected]) => `${attribute} is ${actualText(attributes[attribute])}, not ${expectedText(expected)}`);
}

function actualText(actual: Attributes[string]): string {
  if (actual === undefined) return "not set";
  if (typeof actual === "string" || typeof actual === "boolean") return String(actual);
  return actual.length === 0 ? "empty" : `[${actual.join(", ")}]`;
}

function expectedText(expected: string | boolean | string[]): string {
  return Array.isArray(expected) ? (expected.length === 1 ? expected[0]! : `one of ${expected.join(", ")}`) : String(expected);
}
