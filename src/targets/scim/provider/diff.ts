import { listedIds } from "../../member-list.js";
import { deepEqual, isUnknown, type Value, type ValueMap } from "./values.js";

export type DiffKind = "add" | "delete" | "update";

export interface PropertyDiffs {
  /** Changed top-level properties, sorted. */
  diffs: string[];
  /** Property path → kind, in the engine's path syntax. */
  detailedDiff: Record<string, DiffKind>;
}

export interface DiffOptions {
  /** Output-only properties; never part of a diff. */
  ignore?: readonly string[];
  /** Lists of ids (member-list.ts: packed or not) compared as sets. */
  sets?: readonly string[];
}

/**
 * Compares the new inputs with the old *outputs*, so drift found by a refresh is corrected.
 * Nothing here ever asks for a replace: SCIM allows renaming (userName, displayName) and
 * changing externalId in place, and a replace would delete the account and its history.
 *
 * A set that differs is one update of the whole property: its ids are packed, so an index in
 * the list names no member (the plan names them, from the step's old and new lists).
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
        ? setChange(key, before, after)
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

function setChange(key: string, before: Value[], after: Value[]): Record<string, DiffKind> {
  const had = new Set(listedIds(before));
  const has = new Set(listedIds(after));
  const same = !after.some(isUnknown) && had.size === has.size && [...has].every((id) => had.has(id));
  return same ? {} : { [key]: "update" };
}

/** Null and absent mean the same to SCIM: the attribute has no value. */
function present(value: Value | undefined): Value | undefined {
  return value === null ? undefined : value;
}
