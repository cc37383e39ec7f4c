import { UNKNOWN } from "../../../engine/unknown.js";

// Property values as the engine sends them in a google.protobuf.Struct, and the sentinels it
// uses inside them (sdk/go/common/resource/sig and plugin/rpc.go).

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };
export type ValueMap = { [key: string]: Value };

/** A value not known until apply (a preview of a resource that does not exist yet). */
export { UNKNOWN };

const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_REFERENCE_SIGNATURE = "5cf8f73096256a8f31e491e813e4eb8e";

export function isUnknown(value: Value | undefined): boolean {
  return value === UNKNOWN;
}

export function containsUnknown(value: Value | undefined): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * Strips secret wrappers and turns resource references into their ids. A provider that
 * accepts secrets must hand them back as secrets: the engine stores Check's inputs and our
 * outputs as given. So callers note `secretKeys` first and re-apply them with `markSecret`.
 */
export function unwrap(value: Value): Value {
  if (Array.isArray(value)) return value.map(unwrap);
  if (typeof value !== "object" || value === null) return value;
  const signature = value[SIGNATURE_KEY];
  if (signature === SECRET_SIGNATURE) return unwrap(value["value"] ?? null);
  if (signature === RESOURCE_REFERENCE_SIGNATURE) {
    // A reference to a User resource stands for its id; before it exists the id is unknown.
    const id = value["id"];
    return typeof id === "string" && id !== "" ? id : UNKNOWN;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
}

/** Top-level properties holding a secret anywhere inside: secretness is kept per property. */
export function secretKeys(map: ValueMap): Set<string> {
  return new Set(Object.keys(map).filter((key) => containsSecret(map[key])));
}

export function markSecret(map: ValueMap, keys: ReadonlySet<string>): ValueMap {
  return Object.fromEntries(
    Object.entries(map).map(([k, v]) => [k, keys.has(k) ? { [SIGNATURE_KEY]: SECRET_SIGNATURE, value: v } : v]),
  );
}

function containsSecret(value: Value | undefined): boolean {
  if (Array.isArray(value)) return value.some(containsSecret);
  if (typeof value !== "object" || value === null) return false;
  return value[SIGNATURE_KEY] === SECRET_SIGNATURE || Object.values(value).some(containsSecret);
}

export function deepEqual(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

function isObject(value: Value | undefined): value is ValueMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
