import { parse as parseCsv } from "csv-parse/sync";
import type { Finding } from "../model/finding.js";
import { PERSON_FIELDS, type HrSource, type PersonField } from "../model/hr-source.js";
import { WorkerSchema, type Located, type Worker } from "../model/person.js";

interface RawRow {
  fields: Record<string, unknown>;
  line: number;
}

/**
 * Reads an HR export (CSV or JSON) and maps it onto workers through `hr/source.yaml`.
 * Every row that does not validate becomes a finding with its line; the others are kept,
 * so one bad row is reported rather than hiding the rest of the roster.
 */
export function readRoster(file: string, text: string, source: HrSource): { workers: Located<Worker>[]; findings: Finding[] } {
  const format = source.format ?? (file.toLowerCase().endsWith(".json") ? "json" : "csv");
  const findings: Finding[] = [];
  let rows: RawRow[];
  try {
    rows = format === "csv" ? csvRows(text, source) : jsonRows(text);
  } catch (error) {
    const e = error as Error & { lines?: number };
    findings.push({
      severity: "error",
      code: "hr-unreadable",
      message: `cannot read the HR export: ${e.message}`,
      file,
      line: e.lines ?? 1,
      hint: format === "csv" ? "check quoting and the delimiter (csv.delimiter in hr/source.yaml)" : "the export must be a JSON array of objects",
    });
    return { workers: [], findings };
  }

  const columns = columnMap(source);
  const missing = PERSON_FIELDS.filter((f) => REQUIRED.has(f) && rows.length > 0 && !(columns[f] in (rows[0]?.fields ?? {})));
  for (const field of missing) {
    findings.push({
      severity: "error",
      code: "hr-missing-column",
      message: `the export has no column '${columns[field]}' for ${field}`,
      file,
      line: 1,
      hint: `map ${field} to the right column under 'columns' in hr/source.yaml`,
    });
  }
  if (missing.length > 0) return { workers: [], findings };

  const workers: Located<Worker>[] = [];
  for (const row of rows) {
    const mapped: Record<string, unknown> = {};
    for (const field of PERSON_FIELDS) {
      const raw = row.fields[columns[field]];
      const value = typeof raw === "string" ? raw.trim() : raw;
      if (value === undefined || value === null || value === "") continue;
      mapped[field] = translate(field, String(value), source);
    }
    const result = WorkerSchema.safeParse(mapped);
    if (result.success) {
      workers.push({ value: result.data, at: { file, line: row.line } });
      continue;
    }
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? "");
      findings.push({
        severity: "error",
        code: "hr-invalid-value",
        message: `${mapped.workerId ? `worker ${String(mapped.workerId)}: ` : ""}${field ? `${field} (column '${columns[field as PersonField] ?? field}')` : "row"}: ${issue.message}`,
        file,
        line: row.line,
        hint: field in VALUE_HINTS ? VALUE_HINTS[field] : "correct the value in the export or its mapping in hr/source.yaml",
      });
    }
  }
  return { workers, findings };
}

const REQUIRED = new Set<PersonField>(["workerId", "givenName", "familyName", "startDate"]);

const VALUE_HINTS: Record<string, string> = {
  status: "map the HRIS's word to active, leave or terminated under values.status in hr/source.yaml",
  workerType: "map the HRIS's word to employee, contractor or intern under values.workerType in hr/source.yaml",
  startDate: "dates are YYYY-MM-DD",
  endDate: "dates are YYYY-MM-DD",
};

function columnMap(source: HrSource): Record<PersonField, string> {
  return Object.fromEntries(PERSON_FIELDS.map((f) => [f, source.columns?.[f] ?? f])) as Record<PersonField, string>;
}

function translate(field: PersonField, value: string, source: HrSource): string {
  if (field === "status") return source.values?.status?.[value] ?? value.toLowerCase();
  if (field === "workerType") return source.values?.workerType?.[value] ?? value.toLowerCase();
  return value;
}

function csvRows(text: string, source: HrSource): RawRow[] {
  const delimiter = source.csv?.delimiter ?? detectDelimiter(text);
  const records = parseCsv(text, {
    bom: true,
    columns: true,
    delimiter,
    skip_empty_lines: true,
    info: true,
  }) as { record: Record<string, string>; info: { lines: number } }[];
  // csv-parse counts the line a record ends on; a quoted field may span lines, so this is
  // the record's last line — close enough to point a person at it.
  return records.map(({ record, info }) => ({ fields: record, line: info.lines }));
}

function detectDelimiter(text: string): string {
  const header = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  return (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ";" : ",";
}

function jsonRows(text: string): RawRow[] {
  const data: unknown = JSON.parse(text.replace(/^\uFEFF/, ""));
  if (!Array.isArray(data)) throw new Error("expected a JSON array of worker objects");
  return data.map((entry, index) => {
    if (typeof entry !== "object" || entry === null) throw new Error(`entry ${index + 1} is not an object`);
    return { fields: entry as Record<string, unknown>, line: index + 1 };
  });
}
