import { ScimError } from "./errors.js";
import { findAttribute, resolvePath, type AttrPath } from "./paths.js";
import type { Attribute, ResourceKind } from "./schema.js";

/** A parsed filter (RFC 7644 §3.4.2.2). Paths inside a valuePath are relative to its elements. */
export type Filter =
  | { kind: "and" | "or"; left: Filter; right: Filter }
  | { kind: "not"; filter: Filter }
  | { kind: "present"; path: AttrPath }
  | { kind: "compare"; op: CompareOp; path: AttrPath; value: CompValue }
  | { kind: "valuePath"; path: AttrPath; filter: Filter };

export type CompareOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "lt" | "ge" | "le";
export type CompValue = string | number | boolean | null;

const COMPARE_OPS = new Set(["eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le"]);
export const MAX_FILTER_CHARS = 4096;

type Token = { kind: "(" | ")" | "[" | "]"; at: number } | { kind: "word"; text: string; at: number } | { kind: "value"; value: CompValue; at: number };

/** Names inside a filter: schema attributes at the top, an attribute's sub-attributes in `[...]`. */
type Resolver = (name: string) => AttrPath | undefined;

export function parseFilter(kind: ResourceKind, text: string): Filter {
  const parser = new Parser(tokenize(text), text);
  const filter = parser.filter(topLevel(kind));
  parser.end();
  return filter;
}

/** The filter inside a PATCH path's `attr[...]` (§3.5.2): names are the attribute's sub-attributes. */
export function parseValueFilter(parent: Attribute, text: string): Filter {
  const parser = new Parser(tokenize(text), text);
  const filter = parser.filter(within(parent));
  parser.end();
  return filter;
}

function topLevel(kind: ResourceKind): Resolver {
  return (name) => {
    const path = resolvePath(kind, name);
    return path?.attribute ? (path as AttrPath) : undefined;
  };
}

function within(parent: Attribute): Resolver {
  return (name) => {
    const attribute = findAttribute(parent.subAttributes, name);
    return attribute ? { attribute } : undefined;
  };
}

function invalid(detail: string): ScimError {
  return new ScimError(400, "invalidFilter", detail);
}

function tokenize(text: string): Token[] {
  if (text.length > MAX_FILTER_CHARS) throw invalid(`the filter is longer than ${MAX_FILTER_CHARS} characters`);
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at] ?? "";
    if (/\s/.test(char)) {
      at += 1;
    } else if ("()[]".includes(char)) {
      tokens.push({ kind: char as "(" | ")" | "[" | "]", at });
      at += 1;
    } else if (char === '"') {
      const match = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(text.slice(at));
      if (!match) throw invalid(`unterminated or malformed string at character ${at + 1}`);
      tokens.push({ kind: "value", value: JSON.parse(match[0]) as string, at });
      at += match[0].length;
    } else {
      const word = /^[^\s()[\]"]+/.exec(text.slice(at))?.[0] ?? "";
      tokens.push(literal(word, at) ?? { kind: "word", text: word, at });
      at += word.length;
    }
  }
  return tokens;
}

function literal(word: string, at: number): Token | undefined {
  const lower = word.toLowerCase();
  if (lower === "true" || lower === "false") return { kind: "value", value: lower === "true", at };
  if (lower === "null") return { kind: "value", value: null, at };
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(word)) return { kind: "value", value: Number(word), at };
  return undefined;
}

class Parser {
  #at = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
  ) {}

  filter(resolve: Resolver): Filter {
    let left = this.#and(resolve);
    while (this.#keyword("or")) left = { kind: "or", left, right: this.#and(resolve) };
    return left;
  }

  end(): void {
    const token = this.tokens[this.#at];
    if (token) throw invalid(`unexpected ${describe(token)} at character ${token.at + 1} of ${JSON.stringify(this.text)}`);
  }

  #and(resolve: Resolver): Filter {
    let left = this.#unary(resolve);
    while (this.#keyword("and")) left = { kind: "and", left, right: this.#unary(resolve) };
    return left;
  }

  #unary(resolve: Resolver): Filter {
    if (this.#peekWord("not") && this.tokens[this.#at + 1]?.kind === "(") {
      this.#at += 1;
      return { kind: "not", filter: this.#group(resolve) };
    }
    if (this.tokens[this.#at]?.kind === "(") return this.#group(resolve);
    return this.#attributeExpression(resolve);
  }

  #group(resolve: Resolver): Filter {
    this.#expect("(");
    const inner = this.filter(resolve);
    this.#expect(")");
    return inner;
  }

  #attributeExpression(resolve: Resolver): Filter {
    const token = this.#next();
    if (token?.kind !== "word") throw invalid(`expected an attribute name, found ${describe(token)}`);
    const path = resolve(token.text);
    if (!path) throw invalid(`unknown attribute "${token.text}"`);
    if (this.tokens[this.#at]?.kind === "[") {
      if (path.sub || path.attribute.type !== "complex" || !path.attribute.multiValued) {
        throw invalid(`"${token.text}" is not a multi-valued complex attribute, so it takes no [filter]`);
      }
      this.#at += 1;
      const filter = this.filter(within(path.attribute));
      this.#expect("]");
      return { kind: "valuePath", path, filter };
    }
    const operator = this.#next();
    const op = operator?.kind === "word" ? operator.text.toLowerCase() : "";
    if (op === "pr") return { kind: "present", path };
    if (!COMPARE_OPS.has(op)) throw invalid(`expected an operator after "${token.text}", found ${describe(operator)}`);
    const value = this.#next();
    if (value?.kind !== "value") throw invalid(`expected a value after "${token.text} ${op}", found ${describe(value)}`);
    checkComparable(leafOf(path, token.text), op as CompareOp, value.value, token.text);
    return { kind: "compare", op: op as CompareOp, path, value: value.value };
  }

  #keyword(word: string): boolean {
    if (!this.#peekWord(word)) return false;
    this.#at += 1;
    return true;
  }

  #peekWord(word: string): boolean {
    const token = this.tokens[this.#at];
    return token?.kind === "word" && token.text.toLowerCase() === word;
  }

  #expect(kind: "(" | ")" | "]"): void {
    const token = this.#next();
    if (token?.kind !== kind) throw invalid(`expected "${kind}", found ${describe(token)}`);
  }

  #next(): Token | undefined {
    const token = this.tokens[this.#at];
    this.#at += 1;
    return token;
  }
}

/** The attribute a comparison reads: a multi-valued complex one compares its `value` sub-attribute. */
export function leafOf(path: AttrPath, text = path.attribute.name): Attribute {
  if (path.sub) return path.sub;
  if (path.attribute.type !== "complex") return path.attribute;
  const value = path.attribute.multiValued ? findAttribute(path.attribute.subAttributes, "value") : undefined;
  if (!value) throw invalid(`"${text}" is a complex attribute; compare one of its sub-attributes`);
  return value;
}

function checkComparable(attribute: Attribute, op: CompareOp, value: CompValue, text: string): void {
  if (value === null) {
    if (op !== "eq" && op !== "ne") throw invalid(`"${text} ${op} null" compares nothing; use pr or eq null`);
    return;
  }
  const expected =
    attribute.type === "boolean" ? "boolean" : attribute.type === "integer" || attribute.type === "decimal" ? "number" : "string";
  if (typeof value !== expected) throw invalid(`"${text}" is ${attribute.type}; ${JSON.stringify(value)} is not`);
  const ordered = op === "gt" || op === "ge" || op === "lt" || op === "le";
  if ((op === "co" || op === "sw" || op === "ew") && !["string", "reference", "binary"].includes(attribute.type)) throw invalid(`"${op}" needs a string attribute, "${text}" is ${attribute.type}`);
  if (ordered && (attribute.type === "boolean" || attribute.type === "binary")) throw invalid(`"${op}" cannot order the ${attribute.type} "${text}"`);
}

function describe(token: Token | undefined): string {
  if (!token) return "the end of the filter";
  if (token.kind === "word") return `"${token.text}"`;
  if (token.kind === "value") return JSON.stringify(token.value);
  return `"${token.kind}"`;
}
