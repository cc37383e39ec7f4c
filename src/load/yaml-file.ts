import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, type Node } from "yaml";
import type { z } from "zod";
import type { Finding } from "../model/finding.js";

export interface ParsedYaml<T> {
  value: T | undefined;
  findings: Finding[];
  /** Line (1-based) of the node at a path, or of its nearest existing ancestor. */
  lineOf(path: readonly PropertyKey[]): number;
  /**
   * The line of every key and list item under a path, by dotted path relative to it
   * (`owner`, `roles.1`): compile points a reference error at the reference itself.
   */
  linesUnder(path: readonly PropertyKey[]): Record<string, number>;
}

/**
 * Parses YAML text and validates it against a schema, keeping positions so every finding
 * names the line to fix. Aliases are refused: a desired-state file should read as it means.
 */
export function parseYamlFile<S extends z.ZodType>(file: string, text: string, schema: S): ParsedYaml<z.infer<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const lineOf = (path: readonly PropertyKey[]): number => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth) as unknown[], true);
      if (isNode(node) && node.range) return lineAt(node.range[0]);
    }
    return 1;
  };
  const linesUnder = (path: readonly PropertyKey[]): Record<string, number> => {
    const lines: Record<string, number> = {};
    const walk = (node: unknown, prefix: string) => {
      if (isMap(node)) {
        for (const pair of node.items) {
          const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
          if (key === undefined) continue;
          const at = prefix ? `${prefix}.${key}` : key;
          const range = (pair.key as Node).range;
          if (range) lines[at] = lineAt(range[0]);
          walk(pair.value, at);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, index) => {
          const at = prefix ? `${prefix}.${index}` : String(index);
          if (isNode(item) && item.range) lines[at] = lineAt(item.range[0]);
          walk(item, at);
        });
      }
    };
    walk(path.length === 0 ? doc.contents : doc.getIn(path as unknown[], true), "");
    return lines;
  };
  const findings: Finding[] = [];
  for (const error of [...doc.errors, ...doc.warnings]) {
    findings.push({
      severity: "error",
      code: "yaml-syntax",
      message: error.message.split("\n")[0] ?? error.message,
      file,
      line: lineAt(error.pos[0]),
      hint: "fix the YAML syntax at this line",
    });
  }
  if (findings.length > 0) return { value: undefined, findings, lineOf, linesUnder };

  const data = doc.toJS({ maxAliasCount: 0 });
  const result = schema.safeParse(data ?? {});
  if (!result.success) {
    for (const issue of result.error.issues) {
      findings.push({
        severity: "error",
        code: "schema",
        message: `${issue.path.length ? issue.path.join(".") + ": " : ""}${issue.message}`,
        file,
        line: lineOf(issue.path),
        hint: hintFor(issue),
      });
    }
    return { value: undefined, findings, lineOf, linesUnder };
  }
  return { value: result.data, findings, lineOf, linesUnder };
}

function hintFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "unrecognized_keys":
      return `remove or correct ${issue.keys.map((k) => `'${k}'`).join(", ")}; see the JSON Schema in schemas/`;
    case "invalid_type":
      return `expected ${issue.expected}`;
    default:
      return "see the JSON Schema in schemas/ for the allowed shape";
  }
}
