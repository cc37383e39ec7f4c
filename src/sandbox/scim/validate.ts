import { ScimError } from "./errors.js";
import { findAttribute, isRecord, resolvePath } from "./paths.js";
import { commonAttributes, type Attribute, type ResourceKind } from "./schema.js";

/**
 * A client's resource body in the sandbox's canonical form: attribute names as the schema spells
 * them, extension attributes under their schema URN, values checked against their types.
 * RFC 7643 §2.5: null (and an empty list) means unassigned, so such attributes are left out.
 * Read-only attributes (id, meta, groups) and the write-only password are ignored, not stored.
 * `partial` is for PATCH values, which need not carry required attributes.
 */
export function normalizeResource(kind: ResourceKind, input: unknown, { partial = false } = {}): Record<string, unknown> {
  if (!isRecord(input)) throw invalidValue("the request body must be a JSON object");
  const schemas = input["schemas"];
  if (!partial && schemas !== undefined) checkSchemas(kind, schemas);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === "schemas") continue;
    if (/^urn:/i.test(key)) {
      const path = resolvePath(kind, key);
      if (!path) throw new ScimError(400, "invalidSyntax", `unknown schema or attribute "${key}"`);
      if (path.attribute === undefined) {
        if (value === null) continue;
        if (!isRecord(value)) throw invalidValue(`"${key}" must be an object of that extension's attributes`);
        const schema = kind.extensions.find((extension) => extension.id === path.extension);
        const extension = normalizeObject(schema?.attributes ?? [], value, key);
        if (Object.keys(extension).length > 0) out[path.extension] = { ...(out[path.extension] as object), ...extension };
        continue;
      }
      if (path.sub) throw new ScimError(400, "invalidSyntax", `"${key}" names a sub-attribute; send the whole "${path.attribute.name}"`);
      const normalized = normalizeValue(path.attribute, value, key);
      if (normalized === undefined) continue;
      if (path.extension === undefined) out[path.attribute.name] = normalized;
      else out[path.extension] = { ...(out[path.extension] as object), [path.attribute.name]: normalized };
      continue;
    }
    const attribute = findAttribute(commonAttributes, key) ?? findAttribute(kind.core.attributes, key);
    if (!attribute) throw new ScimError(400, "invalidSyntax", `${kind.name} has no attribute "${key}"`);
    const normalized = normalizeValue(attribute, value, key);
    if (normalized !== undefined) out[attribute.name] = normalized;
  }
  if (!partial) checkRequired(kind, out);
  return out;
}

export function checkRequired(kind: ResourceKind, resource: Record<string, unknown>): void {
  for (const attribute of kind.core.attributes) {
    const value = resource[attribute.name];
    if (attribute.required && (value === undefined || value === "")) throw invalidValue(`${kind.name} needs "${attribute.name}"`);
  }
}

/** The attribute's value in canonical form, or undefined for unassigned (or ignored) values. */
export function normalizeValue(attribute: Attribute, value: unknown, where: string): unknown {
  if (value === null || attribute.mutability === "readOnly" || attribute.mutability === "writeOnly") return undefined;
  if (attribute.multiValued) {
    if (!Array.isArray(value)) throw invalidValue(`"${where}" is multi-valued: send a list`);
    const items = value.map((item, index) => normalizeSingle(attribute, item, `${where}[${index}]`)).filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  return normalizeSingle(attribute, value, where);
}

/** One value of the attribute (an element, for a multi-valued one). */
export function normalizeSingle(attribute: Attribute, value: unknown, where: string): unknown {
  if (value === null) return undefined;
  switch (attribute.type) {
    case "complex": {
      if (!isRecord(value)) throw invalidValue(`"${where}" must be an object`);
      const out = normalizeObject(attribute.subAttributes ?? [], value, where);
      return Object.keys(out).length > 0 ? out : undefined;
    }
    case "boolean":
      // Entra ID sends "True" and "False".
      if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
      if (typeof value !== "boolean") throw invalidValue(`"${where}" must be true or false`);
      return value;
    case "integer":
      if (!Number.isSafeInteger(value)) throw invalidValue(`"${where}" must be an integer`);
      return value;
    case "decimal":
      if (typeof value !== "number" || !Number.isFinite(value)) throw invalidValue(`"${where}" must be a number`);
      return value;
    case "dateTime":
      if (typeof value !== "string" || Number.isNaN(Date.parse(value))) throw invalidValue(`"${where}" must be an xsd:dateTime`);
      return value;
    case "binary":
      if (typeof value !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw invalidValue(`"${where}" must be base64`);
      return value;
    default:
      if (typeof value !== "string") throw invalidValue(`"${where}" must be a string`);
      return value;
  }
}

function normalizeObject(attributes: readonly Attribute[], value: Record<string, unknown>, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // Clients send an extension object with its own "schemas" beside the attributes.
    if (key === "schemas" && where.startsWith("urn:")) continue;
    const attribute = findAttribute(attributes, key);
    if (!attribute) throw new ScimError(400, "invalidSyntax", `"${where}" has no sub-attribute "${key}"`);
    const normalized = normalizeValue(attribute, item, `${where}.${key}`);
    if (normalized !== undefined) out[attribute.name] = normalized;
  }
  return out;
}

function checkSchemas(kind: ResourceKind, schemas: unknown): void {
  const known = [kind.core, ...kind.extensions].map((schema) => schema.id.toLowerCase());
  if (!Array.isArray(schemas) || !schemas.every((schema) => typeof schema === "string")) {
    throw invalidValue('"schemas" must be a list of schema URNs');
  }
  if (!schemas.some((schema) => schema.toLowerCase() === kind.core.id.toLowerCase())) {
    throw invalidValue(`"schemas" must include ${kind.core.id}`);
  }
  const unknown = schemas.find((schema) => !known.includes(schema.toLowerCase()));
  if (unknown !== undefined) throw invalidValue(`the sandbox does not serve the schema ${unknown} on ${kind.endpoint}`);
}

function invalidValue(detail: string): ScimError {
  return new ScimError(400, "invalidValue", detail);
}
