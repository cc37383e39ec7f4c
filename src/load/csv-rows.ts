import { parse, CsvError } from "csv-parse";
import type { Writable } from "node:stream";

/** One CSV record: its cells and the line on which it starts. */
export interface CsvRecord {
  cells: string[];
  line: number;
}

/** The CSV cannot be read on: csv-parse's error code and the line of the record it stopped in. */
export class CsvUnreadable extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * Where each CSV record starts, fed text chunk by chunk: the same rule as csv-parse with
 * skip_empty_lines (an empty line is no record; a quoted field may hold CRLF, LF or CR;
 * `""` inside quotes toggles twice, so counting quotes is enough to know where records end).
 */
export class RecordStarts {
  private line = 1;
  private recordLine = 1;
  private empty = true;
  private quoted = false;
  private pendingCr = false;
  /** Start lines found and not yet taken, oldest first. */
  private readonly found: number[] = [];
  private taken = 0;

  constructor(private readonly quote = '"') {}

  feed(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (this.pendingCr) {
        this.pendingCr = false;
        if (c === "\n") continue;
      }
      if (c === "\n" || c === "\r") {
        if (c === "\r") this.pendingCr = true;
        this.line++;
        if (!this.quoted) {
          if (!this.empty) this.found.push(this.recordLine);
          this.empty = true;
          this.recordLine = this.line;
        }
        continue;
      }
      if (c === this.quote) this.quoted = !this.quoted;
      if (c !== "\uFEFF") this.empty = false;
    }
  }

  /** Call at the end of the text: the last record may lack a final line break. */
  end(): void {
    if (!this.empty) this.found.push(this.recordLine);
    this.empty = true;
  }

  /** The start line of the next record in order, or undefined when the scan and the parser disagree. */
  take(): number | undefined {
    this.taken++;
    return this.found.shift();
  }

  /** The start line of the record with this 0-based index, if it is still known. */
  peek(index: number): number | undefined {
    return this.found[index - this.taken];
  }
}

/** Every record's start line in a whole text (header first), for tests and small inputs. */
export function csvRecordStartLines(text: string, quote = '"'): number[] {
  const starts = new RecordStarts(quote);
  starts.feed(text);
  starts.end();
  const lines: number[] = [];
  for (let line = starts.take(); line !== undefined; line = starts.take()) lines.push(line);
  return lines;
}

/** `;` when the header line has more semicolons than commas, else `,`. */
export function detectDelimiter(text: string): string {
  const header = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/, 1)[0] ?? "";
  return (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ";" : ",";
}

/**
 * Resolves once the stream takes writes again or is gone. Both listeners go when either fires:
 * racing two `events.once` would leave the loser behind at every wait, and a roster of 10,000
 * rows waits often enough for Node's listener-leak warning to reach the user's terminal.
 */
function drainedOrClosed(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
  });
}

/**
 * Streams CSV records out of text chunks with csv-parse, each with the line it starts on.
 * Only the records in flight are held, so memory stays flat whatever the export's length.
 * `maxRecordLength` bounds a record's buffer in csv-parse: a runaway field (a wrong delimiter,
 * a megabyte name) stops the parse with CSV_MAX_RECORD_SIZE at that record.
 */
export async function* csvRecords(chunks: AsyncIterable<string>, options: { delimiter?: string; maxRecordLength: number }): AsyncGenerator<CsvRecord> {
  const iterator = chunks[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const delimiter = options.delimiter ?? detectDelimiter(first.value);
  const parser = parse({ bom: true, delimiter, skip_empty_lines: true, max_record_size: options.maxRecordLength });
  const starts = new RecordStarts();
  let consumed = 0;

  const pump = async () => {
    let chunk: IteratorResult<string> = first;
    while (!chunk.done) {
      if (parser.destroyed) return;
      starts.feed(chunk.value);
      if (!parser.write(chunk.value)) await drainedOrClosed(parser);
      chunk = await iterator.next();
    }
    starts.end();
    if (!parser.destroyed) parser.end();
  };
  const pumping = pump().catch((error: unknown) => {
    parser.destroy(error as Error);
  });

  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      const line = starts.take();
      consumed++;
      yield { cells, line: line ?? parser.info.lines };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const at = (error as CsvError & { records?: number }).records ?? consumed;
      throw new CsvUnreadable(error.message, error.code, starts.peek(at) ?? parser.info.lines);
    }
    throw error;
  } finally {
    parser.destroy();
    await pumping;
    await iterator.return?.();
  }
}
