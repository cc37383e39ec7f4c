import { leafOf, type CompValue, type Filter } from "./filter.js";
import { container, isRecord, type AttrPath } from "./paths.js";
import type { Attribute } from "./schema.js";

/** Whether a resource (or, inside a valuePath, one element) satisfies a parsed filter. */
export function matches(filter: Filter, resource: Record<string, unknown>): boolean {
  switch (filter.kind) {
    case "and":
      return matches(filter.left, resource) && matches(filter.right, resource);
    case "or":
      return matches(filter.left, resource) || matches(filter.right, resource);
    case "not":
      return !matches(filter.filter, resource);
    case "present":
      return leaves(resource, filter.path).some((value) => value !== "" && value !== null);
    case "valuePath":
      return elements(resource, filter.path).some((element) => isRecord(element) && matches(filter.filter, element));
    case "compare": {
      const attribute = leafOf(filter.path);
      const values = leaves(resource, filter.path);
      const wanted = filter.value;
      if (wanted === null) return (filter.op === "eq") === (values.length === 0);
      if (filter.op === "ne") return !values.some((value) => compare(attribute, value, wanted) === 0);
      return values.some((value) => test(filter.op, attribute, value, wanted));
    }
  }
}

/** The elements of a multi-valued attribute, or the single value as a one-element list. */
export function elements(resource: Record<string, unknown>, path: AttrPath): unknown[] {
  const value = container(resource, path)?.[path.attribute.name];
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function leaves(resource: Record<string, unknown>, path: AttrPath): unknown[] {
  const leaf = leafOf(path);
  if (leaf === path.attribute) return elements(resource, path);
  return elements(resource, path).flatMap((element) => {
    const value = isRecord(element) ? element[leaf.name] : undefined;
    return value === undefined || value === null ? [] : [value];
  });
}

function test(op: string, attribute: Attribute, value: unknown, wanted: string | number | boolean): boolean {
  if (op === "eq") return compare(attribute, value, wanted) === 0;
  if (op === "co" || op === "sw" || op === "ew") {
    if (typeof value !== "string") return false;
    const [have, want] = attribute.caseExact ? [value, String(wanted)] : [value.toLowerCase(), String(wanted).toLowerCase()];
    return op === "co" ? have.includes(want) : op === "sw" ? have.startsWith(want) : have.endsWith(want);
  }
  const order = compare(attribute, value, wanted);
  if (order === undefined) return false;
  return op === "gt" ? order > 0 : op === "ge" ? order >= 0 : op === "lt" ? order < 0 : order <= 0;
}

/** -1/0/1, or undefined when the stored value is not of the attribute's type. */
export function compare(attribute: Attribute, value: unknown, wanted: Exclude<CompValue, null>): number | undefined {
  if (attribute.type === "dateTime") {
    const [a, b] = [Date.parse(String(value)), Date.parse(String(wanted))];
    return Number.isNaN(a) || Number.isNaN(b) ? undefined : Math.sign(a - b);
  }
  if (typeof value !== typeof wanted) return undefined;
  if (typeof value === "string") {
    const [a, b] = attribute.caseExact ? [value, wanted as string] : [value.toLowerCase(), (wanted as string).toLowerCase()];
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof value === "number") return Math.sign(value - (wanted as number));
  return value === wanted ? 0 : undefined;
}
