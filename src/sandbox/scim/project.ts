import { ScimError } from "./errors.js";
import { isRecord, resolvePath } from "./paths.js";
import type { ResourceKind } from "./schema.js";

type Json = Record<string, unknown>;

/** Always returned, whatever `attributes=` asks: what identifies and versions the resource. */
const ALWAYS = new Set(["schemas", "id", "meta"]);

export interface Projection {
  attributes?: string | undefined;
  excludedAttributes?: string | undefined;
}

/** Applies `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9) to an outgoing resource. */
export function project(kind: ResourceKind, resource: Json, projection: Projection, { lenient = false } = {}): Json {
  const wanted = names(kind, projection.attributes, lenient);
  if (wanted.length > 0) {
    const out: Json = {};
    for (const key of Object.keys(resource)) if (ALWAYS.has(key)) out[key] = resource[key];
    for (const { holder, name, sub } of wanted) {
      const source = holder === undefined ? resource : resource[holder];
      if (!isRecord(source) || source[name] === undefined) continue;
      const target = holder === undefined ? out : ((out[holder] as Json | undefined) ?? (out[holder] = {}));
      if (name === "") {
        Object.assign(target, source);
      } else if (sub === undefined) {
        target[name] = source[name];
      } else {
        const value = source[name];
        target[name] = Array.isArray(value) ? value.map((item, index) => pick(item, sub, target[name], index)) : { ...(target[name] as Json), ...pick(value, sub) };
      }
    }
    return out;
  }
  const out = { ...resource };
  for (const { holder, name, sub } of names(kind, projection.excludedAttributes, lenient)) {
    if (holder === undefined && ALWAYS.has(name)) continue;
    const source = holder === undefined ? out : isRecord(out[holder]) ? (out[holder] = { ...(out[holder] as Json) }) : undefined;
    if (!source) continue;
    if (name === "") delete out[holder!];
    else if (sub === undefined) delete source[name];
    else if (Array.isArray(source[name])) source[name] = (source[name] as unknown[]).map((item) => without(item, sub));
    else source[name] = without(source[name], sub);
  }
  return out;
}

/** Whether a core attribute with this name is in what the projection returns (a sub-attribute of it keeps it in). */
export function returns(kind: ResourceKind, projection: Projection, name: string): boolean {
  const named = (list: string | undefined) => names(kind, list, true).filter((n) => n.holder === undefined && n.name === name);
  if (names(kind, projection.attributes, true).length > 0) return named(projection.attributes).length > 0;
  return !named(projection.excludedAttributes).some((n) => n.sub === undefined);
}

interface Name {
  /** The extension URN holding the attribute, if any. */
  holder?: string;
  /** "" for a whole extension. */
  name: string;
  sub?: string;
}

/** `lenient` skips names the resource type does not have (a search across types), else they are refused. */
function names(kind: ResourceKind, list: string | undefined, lenient: boolean): Name[] {
  if (list === undefined || list.trim() === "") return [];
  return list.split(",").flatMap((text): Name[] => {
    const path = resolvePath(kind, text.trim());
    if (!path) {
      if (lenient) return [];
      throw new ScimError(400, "invalidValue", `${kind.name} has no attribute "${text.trim()}"`);
    }
    if (!path.attribute) return [{ holder: path.extension, name: "" }];
    return [{ holder: path.extension, name: path.attribute.name, sub: path.sub?.name }];
  });
}

function pick(item: unknown, sub: string, already?: unknown, index?: number): Json {
  const previous = Array.isArray(already) && index !== undefined && isRecord(already[index]) ? (already[index] as Json) : {};
  return isRecord(item) && item[sub] !== undefined ? { ...previous, [sub]: item[sub] } : previous;
}

function without(item: unknown, sub: string): unknown {
  if (!isRecord(item)) return item;
  const { [sub]: _gone, ...rest } = item;
  return rest;
}
