import type { Finding } from "../model/finding.js";
import { PERSON_FIELDS, type HrSource, type PersonField } from "../model/hr-source.js";
import { DEFAULT_LIMITS, type Limits } from "../model/limits.js";
import type { Located, Worker } from "../model/person.js";
import { csvRecords, CsvUnreadable } from "./csv-rows.js";
import { resolveSource, type ResolvedSource } from "./hr-presets.js";
import { mapRow, type RawRow } from "./hr-row.js";
import { jsonRecords, JsonUnreadable } from "./json-rows.js";

export { csvRecordStartLines } from "./csv-rows.js";
export { mapWord } from "./hr-row.js";

/** Row findings kept per export; past this one finding says how many more rows were refused. */
const MAX_ROW_FINDINGS = 100;

/** Fields every row needs; without their column nothing can be compiled. */
const REQUIRED = new Set<PersonField>(["workerId", "givenName", "familyName", "startDate"]);

/**
 * Fields whose absence silently changes access: without a status column every leaver reads as
 * active. A JSON export that never carries the key is refused for these as for required ones.
 */
const ACCESS_DECIDING = new Set<PersonField>(["status"]);

type RosterLimits = Pick<Limits, "maxRows" | "maxFieldLength">;

/**
 * Reads an HR export (CSV or JSON) as a stream and maps it onto workers through
 * `hr/source.yaml` (and its preset, if it names one). Only the row being read is held besides
 * the workers themselves; bytes that are not UTF-8 are decoded as U+FFFD and refused at their
 * row. Every row that does not validate becomes a finding with the line where the row starts;
 * the others are kept, so one bad row is reported rather than hiding the rest of the roster.
 */
export async function readRoster(
  file: string,
  input: string | AsyncIterable<Uint8Array>,
  source: HrSource,
  limits: RosterLimits = DEFAULT_LIMITS,
): Promise<{ workers: Located<Worker>[]; findings: Finding[] }> {
  const format = source.format ?? (file.toLowerCase().endsWith(".json") ? "json" : "csv");
  const resolved = resolveSource(source);
  const bytes = typeof input === "string" ? [Buffer.from(input, "utf8")] : input;
  const reader = new RowReader(file, resolved, limits);
  try {
    if (format === "csv") await readCsv(file, decoded(bytes), source, resolved, reader, limits.maxFieldLength);
    else await readJson(file, reencoded(bytes), source, resolved, reader);
  } catch (error) {
    if (error instanceof CsvUnreadable) reader.unreadable(error.code === "CSV_MAX_RECORD_SIZE" ? "hr-field-too-long" : "hr-unreadable", error.message, error.line, error.code === "CSV_MAX_RECORD_SIZE" ? "a field of this row is far longer than limits.maxFieldLength; check the value and the delimiter" : "check quoting and the delimiter (csv.delimiter in hr/source.yaml)");
    else if (error instanceof JsonUnreadable) reader.unreadable("hr-unreadable", error.message, error.line, error.shape ? shapeHint(resolved.jsonRecords) : "fix the JSON syntax at this line");
    else throw error;
  }
  return reader.result();
}

/** Collects workers and findings row by row, with the export-wide rules (row limit, finding cap). */
class RowReader {
  readonly workers: Located<Worker>[] = [];
  readonly findings: Finding[] = [];
  rows = 0;
  stopped = false;
  private rowFindings = 0;
  private suppressed = 0;
  private firstSuppressedLine = 0;

  constructor(
    private readonly file: string,
    private readonly resolved: ResolvedSource,
    private readonly limits: RosterLimits,
  ) {}

  /** Maps one row; false once the row limit is passed (the reader stops there). */
  row(row: RawRow, extra: Finding[] = []): boolean {
    this.rows++;
    if (this.rows > this.limits.maxRows) {
      this.stop("hr-too-many-rows", `the export has more than ${this.limits.maxRows} rows`, row.line, "check the export is the roster you meant; raise limits.maxRows in policy.yaml if the organisation is this large");
      return false;
    }
    const { worker, findings } = mapRow(this.file, row, this.resolved, this.limits.maxFieldLength);
    const all = [...extra, ...findings];
    if (worker && all.length === 0) this.workers.push(worker);
    if (all.length === 0) return true;
    if (this.rowFindings < MAX_ROW_FINDINGS) {
      this.rowFindings++;
      this.findings.push(...all);
    } else {
      if (this.suppressed === 0) this.firstSuppressedLine = row.line;
      this.suppressed++;
    }
    return true;
  }

  columnFinding(finding: Finding): void {
    this.findings.push(finding);
  }

  unreadable(code: string, message: string, line: number, hint: string): void {
    this.stop(code, code === "hr-unreadable" ? `cannot read the HR export: ${message}` : message, line, hint);
  }

  /** The export as a whole is refused: its one finding replaces what the rows before it said. */
  stop(code: string, message: string, line: number, hint: string): void {
    this.stopped = true;
    this.workers.length = 0;
    this.findings.length = 0;
    this.suppressed = 0;
    this.findings.push({ severity: "error", code, message, file: this.file, line, hint });
  }

  result(): { workers: Located<Worker>[]; findings: Finding[] } {
    if (this.suppressed > 0) {
      this.findings.push({
        severity: "error",
        code: "hr-more-errors",
        message: `${this.suppressed} more rows have errors, from this line on`,
        file: this.file,
        line: this.firstSuppressedLine,
        hint: "fix the rows above and validate again to see the rest",
      });
    }
    return { workers: this.workers, findings: this.findings };
  }
}

async function readCsv(file: string, text: AsyncIterable<string>, source: HrSource, resolved: ResolvedSource, reader: RowReader, maxFieldLength: number): Promise<void> {
  let header: string[] | undefined;
  // A record's buffer may hold every cell at its limit plus quoting; beyond that csv-parse stops.
  const maxRecordLength = Math.max(64 * 1024, maxFieldLength * 64);
  for await (const record of csvRecords(text, { delimiter: source.csv?.delimiter, maxRecordLength })) {
    if (!header) {
      header = record.cells.map((n) => n.replace(/^[ \t]+|[ \t]+$/g, "").normalize("NFC"));
      if (!checkHeader(file, header, record.line, source, resolved, reader)) return;
      continue;
    }
    const fields: Record<string, string> = {};
    header.forEach((name, i) => (fields[name] = record.cells[i] ?? ""));
    if (!reader.row({ fields, line: record.line })) return;
  }
  if (reader.rows === 0) reader.stop("hr-empty-export", header ? "the export is empty: it has a header and no rows" : "the export is empty", 1, "export the roster again; an empty roster would remove everyone");
}

/** Duplicate and missing columns; false when the rows cannot be read as meant. */
function checkHeader(file: string, header: string[], line: number, source: HrSource, resolved: ResolvedSource, reader: RowReader): boolean {
  const seen = new Set<string>();
  let ok = true;
  for (const name of header) {
    if (seen.has(name) && name !== "") {
      reader.columnFinding({ severity: "error", code: "hr-duplicate-column", message: `the export has the column '${name}' twice`, file, line, hint: "remove or rename one of them: rolecall will not guess which one holds the value" });
      ok = false;
    }
    seen.add(name);
  }
  for (const finding of missingColumns(file, seen, line, source, resolved, "csv")) {
    reader.columnFinding(finding);
    if (finding.severity === "error") ok = false;
  }
  return ok;
}

/**
 * A mapped column the export lacks. In a CSV every mapped column (in hr/source.yaml or by the
 * preset) must be in the header: a renamed status column would otherwise read everyone as
 * active. JSON exports leave out keys without a value, so there only the required fields and
 * status must appear in some entry; other mapped keys missing everywhere are a warning.
 */
function missingColumns(file: string, columns: Set<string>, line: number, source: HrSource, resolved: ResolvedSource, format: "csv" | "json"): Finding[] {
  const findings: Finding[] = [];
  for (const field of PERSON_FIELDS) {
    const candidates = resolved.columns[field];
    if (candidates.some((c) => columns.has(c))) continue;
    const explicit = source.columns !== undefined && Object.hasOwn(source.columns, field);
    const mapped = explicit ? source.columns![field] !== null : resolved.mappedByPreset.has(field);
    const error = REQUIRED.has(field) || (mapped && (format === "csv" || ACCESS_DECIDING.has(field)));
    if (!error && !(explicit && mapped)) continue;
    const names = candidates.length ? candidates.map((c) => `'${c}'`).join(" or ") : "at all";
    findings.push({
      severity: error ? "error" : "warning",
      code: "hr-missing-column",
      message: `the export has no column ${names} for ${field}`,
      file,
      line,
      hint:
        source.preset && !explicit
          ? `the ${source.preset} preset expects this column; if the export names it differently, map ${field} under 'columns' in hr/source.yaml${REQUIRED.has(field) ? "" : ", or set it to null if the export has no such column"}`
          : `map ${field} to the right column under 'columns' in hr/source.yaml${REQUIRED.has(field) ? "" : ", or set it to null if the export has no such column"}`,
    });
  }
  return findings;
}

async function readJson(file: string, bytes: AsyncIterable<Uint8Array>, source: HrSource, resolved: ResolvedSource, reader: RowReader): Promise<void> {
  const columns = new Set<string>();
  let firstLine = 1;
  for await (const record of jsonRecords(bytes, resolved.jsonRecords)) {
    if (reader.rows === 0) firstLine = record.line;
    for (const key of Object.keys(record.fields)) columns.add(key);
    const duplicates = record.duplicates.map(
      (d): Finding => ({ severity: "error", code: "hr-duplicate-key", message: `the key '${d.key}' is given twice in this entry`, file, line: d.line, hint: "remove one of them: rolecall will not guess which one holds the value" }),
    );
    if (!reader.row({ fields: record.fields, line: record.line }, duplicates)) return;
  }
  if (reader.rows === 0) {
    reader.stop("hr-empty-export", "the export is empty: it lists no workers", 1, "export the roster again; an empty roster would remove everyone");
    return;
  }
  const missing = missingColumns(file, columns, firstLine, source, resolved, "json");
  if (missing.some((f) => f.severity === "error")) reader.findings.splice(0, reader.findings.length);
  for (const finding of missing) reader.columnFinding(finding);
}

function shapeHint(recordsKey: string | undefined): string {
  return recordsKey
    ? `the export must be a JSON array of worker objects, or an object holding that array under '${recordsKey}'`
    : "the export must be a JSON array of worker objects; if it is an object, name the key holding the list under json.records in hr/source.yaml";
}

/** Bytes → text, chunk by chunk; a BOM is dropped and bytes that are not UTF-8 become U+FFFD. */
async function* decoded(bytes: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  for await (const chunk of bytes) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** The same, as UTF-8 bytes again: the JSON tokenizer's offsets then match the text it saw. */
async function* reencoded(bytes: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const text of decoded(bytes)) yield encoder.encode(text);
}
