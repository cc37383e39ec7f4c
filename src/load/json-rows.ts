import Tokenizer from "@streamparser/json/tokenizer.js";
import TokenParser from "@streamparser/json/tokenparser.js";
import TokenType from "@streamparser/json/utils/types/tokenType.js";
import type { ParsedTokenInfo } from "@streamparser/json/utils/types/parsedTokenInfo.js";

/** One worker entry of a JSON export: its keys, the line it starts on, and keys given twice. */
export interface JsonRecord {
  fields: Record<string, unknown>;
  line: number;
  duplicates: { key: string; line: number }[];
}

/** The JSON cannot be read on, at this line. */
export class JsonUnreadable extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly shape: boolean,
  ) {
    super(message);
  }
}

/** Stands for a nested object or array under a key: no person field can take one. */
export const NESTED = Object.freeze({});

/** Maps the tokenizer's byte offsets to 1-based lines, chunk by chunk; offsets only grow. */
class LineTracker {
  private base = 0;
  private chunk: Uint8Array = new Uint8Array();
  private cursor = 0;
  private line = 1;

  next(chunk: Uint8Array): void {
    for (; this.cursor < this.chunk.length; this.cursor++) if (this.chunk[this.cursor] === 0x0a) this.line++;
    this.base += this.chunk.length;
    this.chunk = chunk;
    this.cursor = 0;
  }

  /** A token that began in an earlier chunk runs into this one, so no line break lies between. */
  at(offset: number): number {
    const target = offset - this.base;
    if (target < 0) return this.line;
    for (; this.cursor < target && this.cursor < this.chunk.length; this.cursor++) if (this.chunk[this.cursor] === 0x0a) this.line++;
    return this.line;
  }
}

interface Frame {
  kind: "object" | "array";
  expectKey: boolean;
}

/**
 * Streams the worker entries out of a JSON export: the top-level array, or the array under
 * `recordsKey` of a top-level object. Tokens come from @streamparser/json's tokenizer; its
 * TokenParser checks the grammar alongside, emitting and dropping each value as it closes, so
 * only the entry being read is held. Each entry keeps the line it starts on and every key
 * given twice, which JSON.parse would silently let win.
 */
export async function* jsonRecords(chunks: AsyncIterable<Uint8Array>, recordsKey: string | undefined): AsyncGenerator<JsonRecord> {
  const tokenizer = new Tokenizer();
  const grammar = new TokenParser({ paths: ["$.*", "$.*.*"], keepStack: false });
  const lines = new LineTracker();
  const ready: JsonRecord[] = [];
  let failure: JsonUnreadable | undefined;
  let sawToken = false;
  let lastLine = 1;

  const stack: Frame[] = [];
  let listDepth = -1; // stack depth inside the worker list once it is open
  let listDone = false;
  let rootKey: string | undefined;
  const rootKeys = new Set<string>();
  let record: JsonRecord | undefined;
  let recordKey: string | undefined;
  let recordKeys = new Set<string>();
  let entries = 0;

  const fail = (message: string, line: number, shape = false) => {
    failure ??= new JsonUnreadable(message, line, shape);
  };

  grammar.onValue = () => {};
  grammar.onError = (error) => fail(error.message, lastLine);
  tokenizer.onError = (error) => {
    const position = /absolute position "(\d+)"/.exec(error.message)?.[1];
    fail(error.message, position === undefined ? lastLine : lines.at(Number(position)));
  };

  const onValueStart = (info: ParsedTokenInfo, line: number) => {
    const depth = stack.length;
    if (listDepth < 0 && !listDone) {
      if (depth === 0 && info.token === TokenType.LEFT_BRACKET) listDepth = 1;
      else if (depth === 1 && stack[0]!.kind === "object" && rootKey === recordsKey && recordsKey !== undefined) {
        if (info.token === TokenType.LEFT_BRACKET) listDepth = 2;
        else fail(`expected an array of workers under '${recordsKey}'`, line, true);
      }
      return;
    }
    if (depth === listDepth) {
      entries++;
      if (info.token === TokenType.LEFT_BRACE) {
        record = { fields: {}, line, duplicates: [] };
        recordKeys = new Set();
      } else fail(`entry ${entries} is not an object`, line, true);
      return;
    }
    if (record && depth === listDepth + 1 && recordKey !== undefined) {
      const nested = info.token === TokenType.LEFT_BRACE || info.token === TokenType.LEFT_BRACKET;
      record.fields[recordKey] = nested ? NESTED : info.value;
    }
  };

  tokenizer.onToken = (info) => {
    sawToken = true;
    const line = lines.at(info.offset);
    lastLine = line;
    grammar.write(info);
    if (failure) return;
    const top = stack[stack.length - 1];
    switch (info.token) {
      case TokenType.COLON:
        return;
      case TokenType.COMMA:
        if (top?.kind === "object") top.expectKey = true;
        return;
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET:
        stack.pop();
        if (record && stack.length === listDepth) {
          ready.push(record);
          record = undefined;
        }
        if (stack.length === listDepth - 1 && info.token === TokenType.RIGHT_BRACKET) {
          listDone = true;
          listDepth = -1;
        }
        return;
    }
    if (top?.kind === "object" && top.expectKey && info.token === TokenType.STRING) {
      top.expectKey = false;
      const key = info.value as string;
      if (stack.length === 1) {
        if (key === recordsKey && rootKeys.has(key)) fail(`the key '${key}' is given twice`, line);
        rootKeys.add(key);
        rootKey = key;
      } else if (record && stack.length === listDepth + 1) {
        if (recordKeys.has(key)) record.duplicates.push({ key, line });
        recordKeys.add(key);
        recordKey = key;
      }
      return;
    }
    onValueStart(info, line);
    if (info.token === TokenType.LEFT_BRACE || info.token === TokenType.LEFT_BRACKET) {
      stack.push({ kind: info.token === TokenType.LEFT_BRACE ? "object" : "array", expectKey: info.token === TokenType.LEFT_BRACE });
    }
  };

  for await (const chunk of chunks) {
    lines.next(chunk);
    tokenizer.write(chunk);
    yield* ready.splice(0);
    if (failure) throw failure;
  }
  if (!sawToken) return;
  tokenizer.end();
  if (!failure && !grammar.isEnded) fail("the JSON ends before it is complete", lastLine);
  if (failure) throw failure;
  yield* ready.splice(0);
  if (listDepth < 0 && !listDone) {
    throw new JsonUnreadable(recordsKey ? `expected an array of workers under '${recordsKey}'` : "expected a JSON array of worker objects", 1, true);
  }
}
