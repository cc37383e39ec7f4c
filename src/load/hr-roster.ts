import { parse as parseCsv } from "csv-parse/sync";
import type { Finding } from "../model/finding.js";
import { EmploymentStatus, PERSON_FIELDS, WorkerType, type HrSource, type PersonField } from "../model/hr-source.js";
import { WorkerSchema, type Located, type Worker } from "../model/person.js";
import { resolveSource } from "./hr-presets.js";

interface RawRow {
  fields: Record<string, unknown>;
  line: number;
}

interface Table {
  rows: RawRow[];
  /** Every column (CSV header, JSON key) the export has. */
  columns: Set<string>;
}

/** The export cannot be read at all: one finding at the place it broke. */
class UnreadableExport extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly hint: string,
  ) {
    super(message);
  }
}

/**
 * Reads an HR export (CSV or JSON) and maps it onto workers through `hr/source.yaml` (and its
 * preset, if it names one). Every row that does not validate becomes a finding with the line
 * where the row starts; the others are kept, so one bad row is reported rather than hiding the
 * rest of the roster.
 */
export function readRoster(file: string, text: string, source: HrSource): { workers: Located<Worker>[]; findings: Finding[] } {
  const format = source.format ?? (file.toLowerCase().endsWith(".json") ? "json" : "csv");
  const resolved = resolveSource(source);
  const findings: Finding[] = [];
  let table: Table;
  try {
    table = format === "csv" ? csvTable(text, source) : jsonTable(text, resolved.jsonRecords);
  } catch (error) {
    if (!(error instanceof UnreadableExport)) throw error;
    findings.push({ severity: "error", code: "hr-unreadable", message: `cannot read the HR export: ${error.message}`, file, line: error.line, hint: error.hint });
    return { workers: [], findings };
  }

  const columnsOf = (field: PersonField) => resolved.columns[field].map((c) => `'${c}'`).join(" or ");
  const headerLine = table.rows[0] && format === "json" ? table.rows[0].line : 1;
  let missingRequired = false;
  for (const field of PERSON_FIELDS) {
    if (resolved.columns[field].some((c) => table.columns.has(c))) continue;
    const explicit = source.columns?.[field] !== undefined;
    // A column the user named that the CSV header lacks is probably a typo. JSON exports leave
    // out keys without a value, so an optional key missing everywhere says nothing there.
    if (!REQUIRED.has(field) && !(explicit && format === "csv")) continue;
    if (REQUIRED.has(field)) missingRequired = true;
    findings.push({
      severity: REQUIRED.has(field) ? "error" : "warning",
      code: "hr-missing-column",
      message: `the export has no column ${columnsOf(field)} for ${field}`,
      file,
      line: headerLine,
      hint:
        source.preset && !explicit
          ? `the ${source.preset} preset expects this column; if the export names it differently, map ${field} under 'columns' in hr/source.yaml`
          : `map ${field} to the right column under 'columns' in hr/source.yaml${REQUIRED.has(field) ? "" : ", or remove the mapping"}`,
    });
  }
  if (missingRequired) return { workers: [], findings };

  const workers: Located<Worker>[] = [];
  for (const row of table.rows) {
    const rowFindings: Finding[] = [];
    const mapped: Record<string, string> = {};
    const columnOf: Partial<Record<PersonField, string>> = {};
    for (const field of PERSON_FIELDS) {
      const picked = pick(row, resolved.columns[field]);
      if (!picked) continue;
      columnOf[field] = picked.column;
      if (picked.value === null) {
        rowFindings.push(invalid(file, row.line, `column '${picked.column}' holds a JSON object or list, not a value`, "flatten the export so each column holds text, a number or true/false"));
        continue;
      }
      const value = normalise(field, picked.value);
      if (value === undefined) continue;
      if (field === "status" || field === "workerType") {
        const word = mapWord(value, resolved.values[field], field === "status" ? EmploymentStatus.options : WorkerType.options);
        if (word === undefined) {
          rowFindings.push(unknownWord(file, row.line, field, value, picked.column));
          continue;
        }
        mapped[field] = word;
      } else mapped[field] = value;
    }
    const who = mapped.workerId ? `worker ${mapped.workerId}: ` : "";
    for (const f of rowFindings) f.message = who + f.message;

    const result = WorkerSchema.safeParse(mapped);
    if (result.success && rowFindings.length === 0) {
      workers.push({ value: result.data, at: { file, line: row.line } });
      continue;
    }
    findings.push(...rowFindings);
    for (const issue of result.success ? [] : result.error.issues) {
      const field = String(issue.path[0] ?? "") as PersonField | "";
      const column = field ? (columnOf[field] ? `'${columnOf[field]}'` : columnsOf(field)) : "";
      const what = field ? `${field} (column ${column})` : "row";
      findings.push(invalid(file, row.line, `${who}${what}: ${issue.message}`, VALUE_HINTS[field] ?? "correct the value in the export or its mapping in hr/source.yaml"));
    }
  }
  return { workers, findings };
}

const REQUIRED = new Set<PersonField>(["workerId", "givenName", "familyName", "startDate"]);

const VALUE_HINTS: Record<string, string> = {
  workerId: "every row needs a worker ID; check the column mapped to workerId",
  givenName: "every row needs a given name; check the column mapped to givenName",
  familyName: "every row needs a family name; check the column mapped to familyName",
  startDate: "dates are YYYY-MM-DD; every row needs a start (hire) date",
  endDate: "dates are YYYY-MM-DD",
  email: "correct the address in the export, or leave it empty to have one generated from policy.yaml",
};

function invalid(file: string, line: number, message: string, hint: string): Finding {
  return { severity: "error", code: "hr-invalid-value", message, file, line, hint };
}

function unknownWord(file: string, line: number, field: "status" | "workerType", word: string, column: string): Finding {
  const allowed = (field === "status" ? EmploymentStatus.options : WorkerType.options).join(" | ");
  return invalid(
    file,
    line,
    `${field} '${word}' (column '${column}') is not a word rolecall knows`,
    `map it under values.${field} in hr/source.yaml, e.g. "${word}: <${allowed}>"`,
  );
}

/**
 * The first non-empty value among a field's candidate columns. `value` is null when the column
 * holds a JSON object or array, which no person field can take.
 */
function pick(row: RawRow, candidates: readonly string[]): { value: string | null; column: string } | undefined {
  let firstPresent: string | undefined;
  for (const column of candidates) {
    const raw = row.fields[column];
    if (raw === undefined || raw === null) continue;
    firstPresent ??= column;
    if (typeof raw === "object") return { value: null, column };
    const value = String(raw).trim();
    if (value !== "") return { value, column };
  }
  return firstPresent === undefined ? undefined : { value: "", column: firstPresent };
}

/** Empty means absent; dates lose a time-zone suffix (xs:date) and BambooHR's 0000-00-00 is empty. */
function normalise(field: PersonField, value: string): string | undefined {
  if (value === "") return undefined;
  if (field === "startDate" || field === "endDate") {
    if (value === "0000-00-00") return undefined;
    const zoned = /^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})$/.exec(value);
    if (zoned) return zoned[1];
  }
  return value;
}

/**
 * The HRIS's word → rolecall's: the value map (exact, then ignoring case), then rolecall's own
 * words in any case. Undefined when neither knows it.
 */
export function mapWord(word: string, map: Record<string, string>, allowed: readonly string[]): string | undefined {
  if (Object.hasOwn(map, word)) return map[word];
  const lower = word.toLowerCase();
  const loose = Object.keys(map).find((k) => k.toLowerCase() === lower);
  if (loose !== undefined) return map[loose];
  return allowed.includes(lower) ? lower : undefined;
}

function csvTable(text: string, source: HrSource): Table {
  const delimiter = source.csv?.delimiter ?? detectDelimiter(text);
  let header: string[] = [];
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      bom: true,
      columns: (names: string[]) => (header = names.map((n) => n.trim())),
      delimiter,
      skip_empty_lines: true,
      info: true,
    }) as typeof records;
  } catch (error) {
    const e = error as Error & { lines?: number; records?: number; header?: boolean };
    // csv-parse's own line count is off after a quoted field with a CRLF inside it; the record
    // it stopped in (the header, or the one after the last good record) is found by our scan.
    const starts = csvRecordStartLines(text);
    const line = (e.header ? starts[0] : starts[(e.records ?? -1) + 1]) ?? e.lines ?? 1;
    throw new UnreadableExport(e.message, line, "check quoting and the delimiter (csv.delimiter in hr/source.yaml)");
  }
  // csv-parse's info.lines is the line a record ends on, and counts a CRLF inside quotes twice;
  // findings should name the line where the row starts, so scan for record starts ourselves.
  const starts = csvRecordStartLines(text);
  const aligned = starts.length === records.length + 1;
  return {
    rows: records.map(({ record, info }, i) => ({ fields: record, line: aligned ? starts[i + 1]! : info.lines })),
    columns: new Set(header),
  };
}

/**
 * The 1-based line on which each CSV record starts, the header first, skipping empty lines the
 * way csv-parse's skip_empty_lines does. A quoted field may hold line breaks (CRLF, LF or CR);
 * `""` inside quotes toggles twice, so counting quotes is enough to know where records end.
 */
export function csvRecordStartLines(text: string, quote = '"'): number[] {
  const starts: number[] = [];
  let line = 1;
  let recordLine = 1;
  let empty = true;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      line++;
      if (!quoted) {
        if (!empty) starts.push(recordLine);
        empty = true;
        recordLine = line;
      }
      continue;
    }
    if (c === quote) quoted = !quoted;
    if (c !== "\uFEFF") empty = false;
  }
  if (!empty) starts.push(recordLine);
  return starts;
}

function detectDelimiter(text: string): string {
  const header = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  return (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ";" : ",";
}

function jsonTable(raw: string, recordsKey: string | undefined): Table {
  const text = raw.replace(/^\uFEFF/, "");
  const shapeHint = recordsKey
    ? `the export must be a JSON array of worker objects, or an object holding that array under '${recordsKey}'`
    : "the export must be a JSON array of worker objects; if it is an object, name the key holding the list under json.records in hr/source.yaml";
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const position = /at position (\d+)/.exec((error as Error).message)?.[1];
    throw new UnreadableExport((error as Error).message, position === undefined ? 1 : lineAt(text, Number(position)), "fix the JSON syntax at this line");
  }
  let list: unknown[];
  let key: string | undefined;
  if (Array.isArray(data)) list = data;
  else if (recordsKey !== undefined && typeof data === "object" && data !== null && Array.isArray((data as Record<string, unknown>)[recordsKey])) {
    list = (data as Record<string, unknown[]>)[recordsKey]!;
    key = recordsKey;
  } else throw new UnreadableExport(recordsKey ? `expected an array of workers under '${recordsKey}'` : "expected a JSON array of worker objects", 1, shapeHint);

  const lines = jsonRecordLines(text, key);
  const columns = new Set<string>();
  const rows = list.map((entry, index) => {
    const line = lines[index] ?? 1;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new UnreadableExport(`entry ${index + 1} is not an object`, line, shapeHint);
    }
    for (const k of Object.keys(entry)) columns.add(k);
    return { fields: entry as Record<string, unknown>, line };
  });
  return { rows, columns };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n" || (text[i] === "\r" && text[i + 1] !== "\n")) line++;
  }
  return line;
}

/**
 * The 1-based line on which each element of the worker list starts in JSON text: the top-level
 * array, or the array under `key` in a top-level object. The text must be valid JSON (parse it
 * first); strings are skipped with their escapes so brackets and commas inside them don't count.
 */
export function jsonRecordLines(text: string, key?: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let rootIsObject = false;
  let targetDepth = -1; // depth inside the worker list, once it is open
  let expectElement = false;
  let stringStart = -1;
  let lastString: string | undefined;
  let currentKey: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) {
      line++;
      continue;
    }
    if (stringStart >= 0) {
      if (c === "\\") i++;
      else if (c === '"') {
        if (depth === 1 && rootIsObject) lastString = JSON.parse(text.slice(stringStart, i + 1)) as string;
        stringStart = -1;
      }
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") continue;
    if (depth === targetDepth && expectElement && c !== "]") {
      lines.push(line);
      expectElement = false;
    }
    switch (c) {
      case '"':
        stringStart = i;
        break;
      case "{":
      case "[":
        if (depth === 0) {
          rootIsObject = c === "{";
          if (c === "[" && key === undefined) {
            targetDepth = 1;
            expectElement = true;
          }
        } else if (depth === 1 && rootIsObject && c === "[" && key !== undefined && currentKey === key && targetDepth < 0) {
          targetDepth = 2;
          expectElement = true;
        }
        depth++;
        break;
      case "}":
      case "]":
        depth--;
        if (depth === targetDepth - 1) return lines;
        break;
      case ":":
        if (depth === 1 && rootIsObject) currentKey = lastString;
        break;
      case ",":
        if (depth === targetDepth) expectElement = true;
        if (depth === 1 && rootIsObject) currentKey = undefined;
        break;
    }
  }
  return lines;
}
