import type { Finding } from "../model/finding.js";
import { EmploymentStatus, PERSON_FIELDS, WorkerType, type PersonField } from "../model/hr-source.js";
import { WorkerSchema, type Located, type Worker } from "../model/person.js";
import type { ResolvedSource } from "./hr-presets.js";
import { textProblem } from "./identity-text.js";

/** One row of the export as read: its cells by column name, and the line where it starts. */
export interface RawRow {
  fields: Record<string, unknown>;
  line: number;
}

/** Which character rules a field's value follows (see identity-text.ts). */
const KIND: Record<PersonField, "worker-id" | "text" | "word"> = {
  workerId: "worker-id",
  managerId: "worker-id",
  givenName: "text",
  familyName: "text",
  preferredName: "text",
  department: "text",
  costCenter: "text",
  location: "text",
  title: "text",
  email: "word",
  workerType: "word",
  status: "word",
  startDate: "word",
  endDate: "word",
};

const VALUE_HINTS: Record<string, string> = {
  workerId: "every row needs a worker ID; check the column mapped to workerId",
  givenName: "every row needs a given name; check the column mapped to givenName",
  familyName: "every row needs a family name; check the column mapped to familyName",
  startDate: "dates are YYYY-MM-DD; every row needs a start (hire) date",
  endDate: "dates are YYYY-MM-DD",
  email: "correct the address in the export, or leave it empty to have one generated from policy.yaml",
};

/**
 * Maps one row onto a worker: the first non-empty candidate column per field, trimmed of
 * surrounding spaces, NFC-normalised before anything is derived from it, checked against the
 * character rules, words mapped through the value maps, then validated as a whole. Either a
 * worker or the row's findings, each at the row's line and naming the column.
 */
export function mapRow(file: string, row: RawRow, resolved: ResolvedSource, maxFieldLength: number): { worker?: Located<Worker>; findings: Finding[] } {
  const findings: Finding[] = [];
  const mapped: Record<string, string> = {};
  const columnOf: Partial<Record<PersonField, string>> = {};
  const refused = new Set<string>();
  for (const field of PERSON_FIELDS) {
    const picked = pick(row, resolved.columns[field]);
    if (!picked) continue;
    columnOf[field] = picked.column;
    if (picked.value === null) {
      refused.add(field);
      findings.push(invalid(file, row.line, `column '${picked.column}' holds a JSON object or list, not a value`, "flatten the export so each column holds text, a number or true/false"));
      continue;
    }
    const value = normalise(field, picked.value);
    if (value === undefined) continue;
    const problem = textProblem(value, KIND[field], maxFieldLength);
    if (problem) {
      refused.add(field);
      findings.push({ severity: "error", code: problem.code, message: `${field} (column '${picked.column}') ${problem.reason}`, file, line: row.line, hint: problem.hint });
      continue;
    }
    if (field === "status" || field === "workerType") {
      const word = mapWord(value, resolved.values[field], field === "status" ? EmploymentStatus.options : WorkerType.options);
      if (word === undefined) {
        refused.add(field);
        findings.push(unknownWord(file, row.line, field, value, picked.column));
        continue;
      }
      mapped[field] = word;
    } else mapped[field] = value;
  }
  const who = mapped.workerId ? `worker ${mapped.workerId}: ` : "";
  for (const f of findings) f.message = who + f.message;

  const result = WorkerSchema.safeParse(mapped);
  if (result.success && findings.length === 0) return { worker: { value: result.data, at: { file, line: row.line } }, findings };
  for (const issue of result.success ? [] : result.error.issues) {
    const field = String(issue.path[0] ?? "") as PersonField | "";
    // A field already refused above is not reported again as missing.
    if (field && refused.has(field)) continue;
    const column = field ? (columnOf[field] ? `'${columnOf[field]}'` : resolved.columns[field].map((c) => `'${c}'`).join(" or ")) : "";
    const what = field ? `${field} (column ${column})` : "row";
    findings.push(invalid(file, row.line, `${who}${what}: ${issue.message}`, VALUE_HINTS[field] ?? "correct the value in the export or its mapping in hr/source.yaml"));
  }
  return { findings };
}

function invalid(file: string, line: number, message: string, hint: string): Finding {
  return { severity: "error", code: "hr-invalid-value", message, file, line, hint };
}

function unknownWord(file: string, line: number, field: "status" | "workerType", word: string, column: string): Finding {
  const allowed = (field === "status" ? EmploymentStatus.options : WorkerType.options).join(" | ");
  return invalid(file, line, `${field} '${word}' (column '${column}') is not a word rolecall knows`, `map it under values.${field} in hr/source.yaml, e.g. "${word}: <${allowed}>"`);
}

/**
 * The first non-empty value among a field's candidate columns. `value` is null when the column
 * holds a JSON object or array, which no person field can take. Only spaces and tabs around a
 * value are trimmed: a line break or an invisible character is the row's problem, not padding.
 */
function pick(row: RawRow, candidates: readonly string[]): { value: string | null; column: string } | undefined {
  let firstPresent: string | undefined;
  for (const column of candidates) {
    const raw = row.fields[column];
    if (raw === undefined || raw === null) continue;
    firstPresent ??= column;
    if (typeof raw === "object") return { value: null, column };
    const value = String(raw).replace(/^[ \t]+|[ \t]+$/g, "").normalize("NFC");
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
