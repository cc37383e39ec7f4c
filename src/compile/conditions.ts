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
  return compileCondition(condition)(attributes);
}

export type Matcher = (attributes: Attributes) => Matched | undefined;

/**
 * A condition turned into a function once, so evaluating 300 rules for 100,000 people does
 * not re-read the rule's structure (or allocate its option lists) every time.
 */
export function compileCondition(condition: Condition): Matcher {
  if ("all" in condition && Array.isArray(condition.all)) {
    const parts = (condition.all as Condition[]).map(compileCondition);
    // The parts' results are shared objects; so is their union, one per combination of them.
    const seen = new Map<string, Matched>();
    return (attributes) => {
      const hits: Matched[] = [];
      let key = "";
      for (const part of parts) {
        const m = part(attributes);
        if (!m) return undefined;
        hits.push(m);
        key += `${idOf(m)},`;
      }
      let matched = seen.get(key);
      if (!matched) seen.set(key, (matched = Object.freeze(Object.assign({}, ...hits) as Matched)));
      return matched;
    };
  }
  if ("any" in condition && Array.isArray(condition.any)) {
    const parts = (condition.any as Condition[]).map(compileCondition);
    return (attributes) => {
      for (const part of parts) {
        const m = part(attributes);
        if (m) return m;
      }
      return undefined;
    };
  }
  if ("not" in condition && typeof condition.not === "object" && !Array.isArray(condition.not)) {
    const inner = compileCondition(condition.not as Condition);
    const none: Matched = Object.freeze({});
    return (attributes) => (inner(attributes) ? undefined : none);
  }
  const tests = Object.entries(condition as Record<string, string | boolean | string[]>).map(([attribute, expected]) => ({
    attribute,
    options: new Set<string | boolean>(Array.isArray(expected) ? expected : [expected]),
  }));
  // The same values match over and over (a department, a location): share one frozen
  // Matched per combination instead of allocating one per person — at 100k people the
  // garbage collector was a fifth of compile time.
  const seen = new Map<string, Matched>();
  const none: Matched = Object.freeze({});
  if (tests.length === 0) return () => none;
  if (tests.length === 1) {
    // The common leaf (one attribute, one or a few values): one shared Matched per value, no key to build.
    const [{ attribute, options }] = tests as [(typeof tests)[number]];
    const byHit = new Map<string | boolean, Matched>();
    return (attributes) => {
      const hit = holds(attributes[attribute], options);
      if (hit === undefined) return undefined;
      let matched = byHit.get(hit);
      if (!matched) byHit.set(hit, (matched = Object.freeze({ [attribute]: hit })));
      return matched;
    };
  }
  return (attributes) => {
    let key = "";
    const hits: (string | boolean)[] = [];
    for (const { attribute, options } of tests) {
      const hit = holds(attributes[attribute], options);
      if (hit === undefined) return undefined;
      hits.push(hit);
      key += `${typeof hit === "boolean" ? "b" : "s"}${String(hit)}\u0000`;
    }
    let matched = seen.get(key);
    if (!matched) {
      matched = Object.freeze(Object.fromEntries(tests.map((t, i) => [t.attribute, hits[i]!])));
      seen.set(key, matched);
    }
    return matched;
  };
}

/** A number for each Matched object made here, to key the combinations of them. */
const ids = new WeakMap<Matched, number>();
let nextId = 0;
function idOf(m: Matched): number {
  let id = ids.get(m);
  if (id === undefined) ids.set(m, (id = nextId++));
  return id;
}

/** The value that satisfied the options, or undefined. Multi-valued attributes match on any member. */
function holds(actual: Attributes[string], options: ReadonlySet<string | boolean>): string | boolean | undefined {
  if (actual === undefined) return undefined;
  if (typeof actual === "boolean" || typeof actual === "string") return options.has(actual) ? actual : undefined;
  return actual.find((v) => options.has(v));
}

/**
 * Every value a condition compares each attribute with, at any depth. A value named nowhere
 * can make no condition hold, so two people whose values differ only in such values (another
 * manager's ID, an unlisted title) match every rule alike.
 */
export function namedValues(condition: Condition, into = new Map<string, Set<string | boolean>>()): Map<string, Set<string | boolean>> {
  if ("all" in condition && Array.isArray(condition.all)) for (const c of condition.all as Condition[]) namedValues(c, into);
  else if ("any" in condition && Array.isArray(condition.any)) for (const c of condition.any as Condition[]) namedValues(c, into);
  else if ("not" in condition && typeof condition.not === "object" && !Array.isArray(condition.not)) namedValues(condition.not as Condition, into);
  else {
    for (const [attribute, expected] of Object.entries(condition as Record<string, string | boolean | string[]>)) {
      let values = into.get(attribute);
      if (!values) into.set(attribute, (values = new Set()));
      for (const v of Array.isArray(expected) ? expected : [expected]) values.add(v);
    }
  }
  return into;
}

/** Every attribute a condition names, at any depth. */
export function attributeNames(condition: Condition, into = new Set<string>()): Set<string> {
  if ("all" in condition && Array.isArray(condition.all)) for (const c of condition.all as Condition[]) attributeNames(c, into);
  else if ("any" in condition && Array.isArray(condition.any)) for (const c of condition.any as Condition[]) attributeNames(c, into);
  else if ("not" in condition && typeof condition.not === "object" && !Array.isArray(condition.not)) attributeNames(condition.not as Condition, into);
  else for (const attribute of Object.keys(condition)) into.add(attribute);
  return into;
}
