import { deepEqual, isUnknown, type Value, type ValueMap } from "./values.js";

export type DiffKind = "add" | "delete" | "update";

export interface PropertyDiffs {
  /** Changed top-level properties, sorted. */
  diffs: string[];
  /** Property path → kind, in the engine's path syntax (`members[3]`). */
  detailedDiff: Record<string, DiffKind>;
}

export interface DiffOptions {
  /** Output-only properties; never part of a diff. */
  ignore?: readonly string[];
  /** Sorted string lists compared as sets, reported per element. */
  sets?: readonly string[];
}

/**
 * Compares the new inputs with the old *outputs*, so drift found by a refresh is corrected.
 * Nothing here ever asks for a replace: SCIM allows renaming (userName, displayName) and
 * changing externalId in place, and a replace would delete the account and its history.
 *
 * For a set, a removed element is reported at its index in the old list and an added one at
 * its index in the new list: that is how the engine reads DELETE and ADD paths when it
 * renders the diff (pkg/engine/detailedDiff.go).
 */
export function diffProperties(olds: ValueMap, news: ValueMap, options: DiffOptions = {}): PropertyDiffs {
  const ignore = new Set(options.ignore ?? []);
  const sets = new Set(options.sets ?? []);
  const detailedDiff: Record<string, DiffKind> = {};
  const diffs: string[] = [];
  const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => !ignore.has(k)).sort();
  for (const key of keys) {
    const before = present(olds[key]);
    const after = present(news[key]);
    const changes =
      sets.has(key) && Array.isArray(before) && Array.isArray(after)
        ? setChanges(key, before, after)
        : scalarChange(key, before, after);
    if (Object.keys(changes).length > 0) {
      diffs.push(key);
      Object.assign(detailedDiff, changes);
    }
  }
  return { diffs, detailedDiff };
}

function scalarChange(key: string, before: Value | undefined, after: Value | undefined): Record<string, DiffKind> {
  if (before === undefined && after === undefined) return {};
  if (before === undefined) return { [key]: "add" };
  if (after === undefined) return { [key]: "delete" };
  if (!isUnknown(after) && deepEqual(before, after)) return {};
  return { [key]: "update" };
}

function setChanges(key: string, before: Value[], after: Value[]): Record<string, DiffKind> {
  const changes: Record<string, DiffKind> = {};
  const beforeSet = new Set(before);
  const afterSet = new Set(after);
  before.forEach((value, i) => {
    if (!afterSet.has(value)) changes[`${key}[${i}]`] = "delete";
  });
  after.forEach((value, i) => {
    if (!isUnknown(value) && beforeSet.has(value)) return;
    const path = `${key}[${i}]`;
    // One path can carry one kind: a removal and an addition at the same index render as old → new.
    changes[path] = changes[path] === "delete" ? "update" : "add";
  });
  return changes;
}

/** Null and absent mean the same to SCIM: the attribute has no value. */
function present(value: Value | undefined): Value | undefined {
  return value === null ? undefined : value;
}
