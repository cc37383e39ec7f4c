import { isDeepStrictEqual } from "node:util";
import { ScimError } from "./errors.js";
import { MAX_FILTER_CHARS, parseValueFilter, type Filter } from "./filter.js";
import { matches } from "./match.js";
import { container, findAttribute, isRecord, resolvePath, type AttrPath } from "./paths.js";
import type { Attribute, ResourceKind } from "./schema.js";
import { checkRequired, normalizeResource, normalizeSingle, normalizeValue } from "./validate.js";

export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const MAX_OPERATIONS = 10_000;

type Json = Record<string, unknown>;

/** A PATCH path (RFC 7644 §3.5.2): `attr`, `attr.sub`, `urn:…:attr`, `attr[filter]`, `attr[filter].sub`, or an extension URN. */
interface Target {
  extension?: string;
  attribute?: Attribute;
  sub?: Attribute;
  filter?: Filter;
}

/**
 * Applies a PatchOp request to a resource in canonical form and returns the new resource, checked
 * as a whole (required attributes, types). Operations apply in order and all or none take effect.
 */
export function applyPatch(kind: ResourceKind, resource: Json, body: unknown): Json {
  let result = structuredClone(resource);
  operationsOf(body).forEach((operation, index) => {
    if (!isRecord(operation)) throw syntax(`operation ${index + 1} is not an object`);
    const op = String(operation["op"] ?? "").toLowerCase();
    const path = operation["path"];
    if (path !== undefined && typeof path !== "string") throw new ScimError(400, "invalidPath", `operation ${index + 1}: "path" must be a string`);
    const value = operation["value"];
    if (op === "add" || op === "replace") {
      if (value === undefined) throw syntax(`operation ${index + 1} (${op}) needs a "value"`);
      result = path === undefined || path === "" ? merge(kind, result, value, op) : write(kind, result, parsePath(kind, path), value, op);
    } else if (op === "remove") {
      if (path === undefined || path === "") throw new ScimError(400, "noTarget", `operation ${index + 1}: remove needs a "path"`);
      result = remove(result, parsePath(kind, path), value);
    } else {
      throw syntax(`operation ${index + 1}: "op" must be add, replace or remove, not ${JSON.stringify(operation["op"])}`);
    }
  });
  checkRequired(kind, result);
  return result;
}

/** A PatchOp request's operations, once its envelope is checked (RFC 7644 §3.5.2). */
function operationsOf(body: unknown): unknown[] {
  if (!isRecord(body)) throw syntax("the PATCH body must be a PatchOp object");
  const schemas = body["schemas"];
  if (!Array.isArray(schemas) || !schemas.some((schema) => String(schema).toLowerCase() === PATCH_SCHEMA.toLowerCase())) {
    throw syntax(`a PATCH body's "schemas" must be ["${PATCH_SCHEMA}"]`);
  }
  const operations = body["Operations"] ?? body["operations"];
  if (!Array.isArray(operations) || operations.length === 0) throw syntax('a PATCH body needs a non-empty "Operations" list');
  if (operations.length > MAX_OPERATIONS) throw syntax(`at most ${MAX_OPERATIONS} operations per PATCH`);
  return operations;
}

/** One operation of a PATCH that touches a group's members alone: add these ids, or remove the members whose value equals this one (case-insensitively, as `value` is not caseExact). */
export type MemberOperation = { op: "add"; ids: string[] } | { op: "remove"; value: string };

/** `members[value eq "…"]` as provisioning clients write it: names in any case, the value a string literal as filter.ts reads one. */
const REMOVE_BY_VALUE = /^members\[value eq /i;
const STRING_LITERAL = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"$/;

/**
 * The operations of a Group PATCH that only adds members by id (`path: members`, values with
 * nothing but `value`) or removes one by `members[value eq "…"]` — what a provisioning client
 * sends to a large group — in order; undefined for any other PATCH, which goes the general way.
 * They mean what applyPatch makes of them; the store then writes only the rows they change.
 */
export function memberOperations(body: unknown): MemberOperation[] | undefined {
  const parsed: MemberOperation[] = [];
  for (const operation of operationsOf(body)) {
    if (!isRecord(operation)) return undefined;
    const op = String(operation["op"] ?? "").toLowerCase();
    const path = typeof operation["path"] === "string" ? operation["path"] : undefined;
    const value = operation["value"];
    if (op === "add" && path?.toLowerCase() === "members" && Array.isArray(value)) {
      const ids = value.map((item) => (isRecord(item) && Object.keys(item).length === 1 && typeof item["value"] === "string" ? item["value"] : undefined));
      if (ids.some((id) => id === undefined)) return undefined;
      parsed.push({ op: "add", ids: ids as string[] });
    } else if (op === "remove" && value === undefined && path !== undefined && REMOVE_BY_VALUE.test(path) && path.endsWith("]") && path.length - "members[]".length <= MAX_FILTER_CHARS) {
      const literal = path.slice("members[value eq ".length, -1);
      if (!STRING_LITERAL.test(literal)) return undefined;
      parsed.push({ op: "remove", value: JSON.parse(literal) as string });
    } else return undefined;
  }
  return parsed;
}

function parsePath(kind: ResourceKind, text: string): Target {
  const bracket = text.indexOf("[");
  if (bracket < 0) {
    const path = resolvePath(kind, text);
    if (!path) throw new ScimError(400, "invalidPath", `${kind.name} has no attribute "${text}"`);
    if (path.attribute && (path.attribute.mutability === "readOnly" || path.sub?.mutability === "readOnly")) {
      throw new ScimError(400, "mutability", `"${text}" is read-only`);
    }
    return path;
  }
  const close = text.lastIndexOf("]");
  const tail = text.slice(close + 1);
  const head = resolvePath(kind, text.slice(0, bracket));
  if (close < bracket || !head?.attribute || head.sub || head.attribute.type !== "complex" || !head.attribute.multiValued || (tail !== "" && !tail.startsWith("."))) {
    throw new ScimError(400, "invalidPath", `"${text}" is not attr[filter] or attr[filter].subAttr on a multi-valued complex attribute`);
  }
  if (head.attribute.mutability === "readOnly") throw new ScimError(400, "mutability", `"${head.attribute.name}" is read-only`);
  const filter = parseValueFilter(head.attribute, text.slice(bracket + 1, close));
  const sub = tail === "" ? undefined : findAttribute(head.attribute.subAttributes, tail.slice(1));
  if (tail !== "" && !sub) throw new ScimError(400, "invalidPath", `"${head.attribute.name}" has no sub-attribute "${tail.slice(1)}"`);
  return { ...head, sub, filter };
}

/** add or replace without a path: the value is a partial resource (§3.5.2.1, §3.5.2.3). */
function merge(kind: ResourceKind, resource: Json, value: unknown, op: "add" | "replace"): Json {
  if (!isRecord(value)) throw syntax(`${op} without a path needs an object value`);
  const partial = normalizeResource(kind, value, { partial: true });
  let result = resource;
  for (const [key, item] of Object.entries(partial)) {
    const extension = kind.extensions.find((schema) => schema.id === key);
    if (extension) {
      for (const [name, inner] of Object.entries(item as Json)) {
        result = setAttribute(result, { extension: key, attribute: findAttribute(extension.attributes, name)! }, inner, op);
      }
    } else {
      const path = resolvePath(kind, key) as AttrPath;
      result = setAttribute(result, path, item, op);
    }
  }
  return result;
}

function write(kind: ResourceKind, resource: Json, target: Target, value: unknown, op: "add" | "replace"): Json {
  if (!target.attribute) return merge(kind, resource, { [target.extension!]: value }, op);
  const path: AttrPath = { extension: target.extension, attribute: target.attribute };
  if (target.filter) return writeFiltered(resource, path, target.filter, target.sub, value, op);
  if (target.sub) {
    if (target.attribute.multiValued) {
      throw new ScimError(400, "invalidPath", `"${target.attribute.name}.${target.sub.name}": pick the elements with ${target.attribute.name}[filter].${target.sub.name}`);
    }
    const current = container(resource, path)?.[target.attribute.name];
    const { [target.sub.name]: _old, ...rest } = isRecord(current) ? current : {};
    const subValue = normalizeValue(target.sub, value, `${target.attribute.name}.${target.sub.name}`);
    return assign(resource, path, subValue === undefined ? rest : { ...rest, [target.sub.name]: subValue });
  }
  const normalized = target.attribute.multiValued && !Array.isArray(value) ? normalizeValue(target.attribute, [value], target.attribute.name) : normalizeValue(target.attribute, value, target.attribute.name);
  return setAttribute(resource, path, normalized, op);
}

/**
 * `attr[filter]` and `attr[filter].sub`. When no element matches, an `eq`-only filter names the
 * element to create: Entra ID adds a phone with `phoneNumbers[type eq "mobile"].value`.
 */
function writeFiltered(resource: Json, path: AttrPath, filter: Filter, sub: Attribute | undefined, value: unknown, op: "add" | "replace"): Json {
  const attribute = path.attribute;
  const current = list(resource, path);
  const replacement = (element: Json): Json => {
    if (sub) {
      const { [sub.name]: _old, ...rest } = element;
      const subValue = normalizeSingle(sub, value, `${attribute.name}.${sub.name}`);
      return subValue === undefined ? rest : { ...rest, [sub.name]: subValue };
    }
    const given = normalizeSingle(attribute, value, attribute.name) as Json | undefined;
    return op === "replace" ? (given ?? {}) : { ...element, ...given };
  };
  let matched = false;
  const next = current.map((element) => {
    if (!isRecord(element) || !matches(filter, element)) return element;
    matched = true;
    return replacement(element);
  });
  if (!matched) {
    const seed = equalities(filter);
    if (!seed) throw new ScimError(400, "noTarget", `no ${attribute.name} value matches the filter, and the filter does not say what to create`);
    next.push(replacement(normalizeSingle(attribute, seed, attribute.name) as Json));
  }
  return assign(resource, path, next.filter((element) => !isRecord(element) || Object.keys(element).length > 0));
}

/** The attribute values an `eq`/`and`-only filter pins down, or undefined for any other filter. */
function equalities(filter: Filter): Json | undefined {
  if (filter.kind === "compare" && filter.op === "eq" && filter.value !== null) return { [filter.path.attribute.name]: filter.value };
  if (filter.kind !== "and") return undefined;
  const [left, right] = [equalities(filter.left), equalities(filter.right)];
  return left && right ? { ...left, ...right } : undefined;
}

function remove(resource: Json, target: Target, value: unknown): Json {
  if (!target.attribute) {
    const { [target.extension!]: _gone, ...rest } = resource;
    return rest;
  }
  const path: AttrPath = { extension: target.extension, attribute: target.attribute };
  const attribute = target.attribute;
  if (target.filter) {
    const filter = target.filter;
    const next = list(resource, path).flatMap((element) => {
      if (!isRecord(element) || !matches(filter, element)) return [element];
      if (!target.sub) return [];
      const { [target.sub.name]: _gone, ...rest } = element;
      return Object.keys(rest).length > 0 ? [rest] : [];
    });
    return assign(resource, path, next);
  }
  if (target.sub) {
    const strip = (element: unknown) => {
      if (!isRecord(element)) return element;
      const { [target.sub!.name]: _gone, ...rest } = element;
      return rest;
    };
    const current = container(resource, path)?.[attribute.name];
    return assign(resource, path, Array.isArray(current) ? current.map(strip) : strip(current));
  }
  if (attribute.multiValued && Array.isArray(value)) {
    // Entra removes members as `path: members` with a value list; match on `value` alone so a
    // stale display never keeps a member in.
    const wanted = value.map((item) => (isRecord(item) && "value" in item ? { value: item["value"] } : item));
    // By value through a set: removing 500 members from a group of 25,000 is one pass, not 12.5M comparisons.
    const values = new Set(wanted.filter(isRecord).map((item) => item["value"]));
    const others = wanted.filter((item) => !isRecord(item));
    const next = list(resource, path).filter((element) =>
      isRecord(element) ? !values.has(element["value"]) : !others.some((item) => isDeepStrictEqual(element, item)),
    );
    return assign(resource, path, next);
  }
  return assign(resource, path, undefined);
}

/** add/replace of one attribute with an already-normalized value. */
function setAttribute(resource: Json, path: AttrPath, value: unknown, op: "add" | "replace"): Json {
  if (value === undefined) return op === "replace" ? assign(resource, path, undefined) : resource;
  const { attribute } = path;
  const current = container(resource, path)?.[attribute.name];
  if (attribute.multiValued) {
    if (op === "replace") return assign(resource, path, value);
    const merged = [...(Array.isArray(current) ? current : [])];
    // Members are one per value, looked up in a set (a group may hold 100,000); other
    // multi-valued attributes are short and compared whole.
    const memberValues = attribute.name === "members" ? new Set(merged.filter(isRecord).map((existing) => existing["value"])) : undefined;
    for (const item of value as unknown[]) {
      const duplicate =
        memberValues && isRecord(item) ? memberValues.has(item["value"]) : merged.some((existing) => isDeepStrictEqual(existing, item));
      if (duplicate) continue;
      merged.push(item);
      if (memberValues && isRecord(item)) memberValues.add(item["value"]);
    }
    return assign(resource, path, merged);
  }
  if (attribute.type === "complex" && isRecord(current)) return assign(resource, path, { ...current, ...(value as Json) });
  return assign(resource, path, value);
}

function list(resource: Json, path: AttrPath): unknown[] {
  const current = container(resource, path)?.[path.attribute.name];
  return Array.isArray(current) ? current : [];
}

/** A copy of the resource with the attribute set; undefined and empty values unassign it. */
function assign(resource: Json, path: AttrPath, value: unknown): Json {
  const empty = value === undefined || (Array.isArray(value) && value.length === 0) || (isRecord(value) && Object.keys(value).length === 0);
  const place = (holder: Json): Json => {
    const { [path.attribute.name]: _old, ...rest } = holder;
    return empty ? rest : { ...rest, [path.attribute.name]: value };
  };
  if (path.extension === undefined) return place(resource);
  const extension = place(container(resource, path) ?? {});
  const { [path.extension]: _old, ...rest } = resource;
  return Object.keys(extension).length > 0 ? { ...rest, [path.extension]: extension } : rest;
}

function syntax(detail: string): ScimError {
  return new ScimError(400, "invalidSyntax", detail);
}
