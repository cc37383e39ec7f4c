import type { Inputs } from "../model/inputs.js";
import type { Located, SourcePosition } from "../model/person.js";

/** Where one field of an item is written (`owner`, `roles.1`), else where the item starts. */
export function fieldAt(item: Pick<Located<unknown>, "at" | "lines">, field: string): SourcePosition {
  return { file: item.at.file, line: item.lines?.[field] ?? item.at.line };
}

/**
 * Where a setting of policy.yaml or catalog.yaml is written, by dotted path; the nearest
 * written ancestor when the setting itself is a default.
 */
export function settingAt(inputs: Pick<Inputs, "lines">, file: string, path: string): { file: string; line?: number } {
  const lines = inputs.lines?.[file];
  for (let p = path; p !== ""; p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "") {
    const line = lines?.[p];
    if (line !== undefined) return { file, line };
  }
  return { file };
}
