import { commonAttributes, type Attribute, type ResourceKind } from "./schema.js";

/** An attribute named in a filter, a PATCH path or `attributes=`, resolved against the schemas. */
export interface AttrPath {
  /** The extension schema URN whose object holds the attribute; undefined for core and common attributes. */
  extension?: string;
  attribute: Attribute;
  sub?: Attribute;
}

/** What `urn:…:enterprise:2.0:User` alone names: the whole extension object. */
export interface ExtensionPath {
  extension: string;
  attribute?: undefined;
}

export function findAttribute(attributes: readonly Attribute[] | undefined, name: string): Attribute | undefined {
  const wanted = name.toLowerCase();
  return attributes?.find((candidate) => candidate.name.toLowerCase() === wanted);
}

/**
 * Resolves `[schemaURN:]attr[.sub]` (RFC 7644 §3.10) case-insensitively, or undefined when the
 * schemas have no such attribute. An unqualified name is a core or common attribute.
 */
export function resolvePath(kind: ResourceKind, text: string): AttrPath | ExtensionPath | undefined {
  let rest = text;
  let attributes: readonly Attribute[] = [...commonAttributes, ...kind.core.attributes];
  let extension: string | undefined;
  if (/^urn:/i.test(text)) {
    const lower = text.toLowerCase();
    const schema = [kind.core, ...kind.extensions].find((candidate) => {
      const id = candidate.id.toLowerCase();
      return lower === id || lower.startsWith(`${id}:`);
    });
    if (!schema) return undefined;
    if (schema !== kind.core) extension = schema.id;
    if (lower === schema.id.toLowerCase()) return extension === undefined ? undefined : { extension };
    rest = text.slice(schema.id.length + 1);
    attributes = schema === kind.core ? attributes : schema.attributes;
  }
  const [name = "", subName, ...more] = rest.split(".");
  if (more.length > 0) return undefined;
  const attribute = findAttribute(attributes, name);
  if (!attribute) return undefined;
  if (subName === undefined) return { extension, attribute };
  const sub = findAttribute(attribute.subAttributes, subName);
  return sub ? { extension, attribute, sub } : undefined;
}

/** The JSON object holding the path's attribute inside a resource, if present. */
export function container(resource: Record<string, unknown>, path: { extension?: string }): Record<string, unknown> | undefined {
  if (path.extension === undefined) return resource;
  const holder = resource[path.extension];
  return isRecord(holder) ? holder : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
