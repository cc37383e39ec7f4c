import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from "yaml";
import type { z } from "zod";
import type { Finding } from "../model/finding.js";
import { MAX_YAML_ALIASES } from "../model/limits.js";

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
 * names the line to fix. Aliases and `<<` merge keys are data like any other, expanded up to
 * MAX_YAML_ALIASES: a file that expands more (billion laughs) or names an anchor it never set
 * is refused at the alias, before anything is built from it.
 */
export function parseYamlFile<S extends z.ZodType>(file: string, text: string, schema: S): ParsedYaml<z.infer<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
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

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    findings.push(aliasFinding(file, doc, error, lineAt));
    return { value: undefined, findings, lineOf, linesUnder };
  }
  const result = schema.safeParse(data ?? {});
  if (!result.success) {
    for (const issue of result.error.issues) {
      // An unknown key is pointed at itself, not at the mapping that holds it.
      const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
      for (const key of keys) {
        findings.push({
          severity: "error",
          code: "schema",
          message: `${issue.path.length ? issue.path.join(".") + ": " : ""}${key === undefined ? issue.message : `unknown key '${key}'`}`,
          file,
          line: key === undefined ? lineOf(issue.path) : (keyLine(doc, issue.path, key, lineAt) ?? lineOf(issue.path)),
          hint: hintFor(issue, key),
        });
      }
    }
    return { value: undefined, findings, lineOf, linesUnder };
  }
  return { value: result.data, findings, lineOf, linesUnder };
}

/** The line of `key` in the mapping at `path`. */
function keyLine(doc: Document, path: readonly PropertyKey[], key: string, lineAt: (offset: number) => number): number | undefined {
  const node = path.length === 0 ? doc.contents : doc.getIn(path as unknown[], true);
  if (!isMap(node)) return undefined;
  const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  return isNode(pair?.key) && pair.key.range ? lineAt(pair.key.range[0]) : undefined;
}

/** Where an alias went wrong: the alias naming a missing anchor, or the first alias of an expansion past the bound. */
function aliasFinding(file: string, doc: Document, error: ReferenceError, lineAt: (offset: number) => number): Finding {
  const unresolved = /Unresolved alias[^:]*: (.+)$/.exec(error.message)?.[1];
  let line = 1;
  visit(doc, {
    Alias(_, node) {
      if (unresolved !== undefined && node.source !== unresolved) return undefined;
      if (isAlias(node) && node.range) line = lineAt(node.range[0]);
      return visit.BREAK;
    },
  });
  return unresolved !== undefined
    ? { severity: "error", code: "yaml-alias", message: `the alias *${unresolved} names no anchor set before it`, file, line, hint: `set &${unresolved} on a node above this line, or write the value out` }
    : {
        severity: "error",
        code: "yaml-alias-bound",
        message: `aliases expand to more than ${MAX_YAML_ALIASES} nodes (a resource-exhaustion pattern, not data)`,
        file,
        line,
        hint: "write the values out instead of nesting aliases",
      };
}

function hintFor(issue: z.core.$ZodIssue, key: string | undefined): string {
  switch (issue.code) {
    case "unrecognized_keys":
      return `remove or correct '${key}'; see the JSON Schema in schemas/`;
    case "invalid_type":
      return `expected ${issue.expected}`;
    default:
      return "see the JSON Schema in schemas/ for the allowed shape";
  }
}
