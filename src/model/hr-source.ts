import { z } from "zod";

/** The canonical person fields rolecall understands; every HR export is mapped onto these. */
export const PERSON_FIELDS = [
  "workerId",
  "givenName",
  "familyName",
  "preferredName",
  "email",
  "department",
  "costCenter",
  "location",
  "title",
  "managerId",
  "workerType",
  "status",
  "startDate",
  "endDate",
] as const;
export type PersonField = (typeof PERSON_FIELDS)[number];

const WORKER_TYPES = ["employee", "contractor", "intern"] as const;
const STATUSES = ["active", "leave", "terminated"] as const;

export const WorkerType = z.enum(WORKER_TYPES);
export type WorkerType = z.infer<typeof WorkerType>;
export const EmploymentStatus = z.enum(STATUSES);
export type EmploymentStatus = z.infer<typeof EmploymentStatus>;

/** HRIS exports rolecall knows the usual column names and words of (see src/load/hr-presets.ts). */
export const HrPreset = z.enum(["workday", "bamboohr"]);
export type HrPreset = z.infer<typeof HrPreset>;

const columnName = z.string().min(1);

/** A value-map target, with an error that names the word and the allowed values. */
const mapsTo = <const T extends readonly string[]>(field: string, values: T) =>
  z.enum(values, { error: (issue) => `maps to '${String(issue.input)}', but ${field} must be one of ${values.join(", ")}` });

/** `hr/source.yaml`: which export to read and how its columns map onto person fields. */
export const HrSourceSchema = z
  .object({
    $schema: z.string().optional(),
    file: z.string().min(1).describe("The export to read, relative to this file (CSV or JSON)."),
    format: z.enum(["csv", "json"]).optional().describe("Defaults to the file's extension."),
    preset: HrPreset.optional().describe(
      "The HRIS whose usual export this is: its column names and words are mapped for you. `columns` and `values` below override the preset key by key.",
    ),
    csv: z
      .object({
        delimiter: z.string().length(1).optional().describe("Detected from the header line when absent (`,` or `;`)."),
      })
      .strict()
      .optional(),
    json: z
      .object({
        records: z
          .string()
          .min(1)
          .optional()
          .describe("When the export is an object rather than an array: the key holding the list of workers (e.g. Report_Entry, employees)."),
      })
      .strict()
      .optional(),
    columns: z
      .partialRecord(z.enum(PERSON_FIELDS), columnName.nullable())
      .optional()
      .describe("Person field → column (CSV header or JSON key) in the export; null when the export has no such column (a preset's, say)."),
    values: z
      .object({
        status: z.record(z.string(), mapsTo("status", STATUSES)).optional(),
        workerType: z.record(z.string(), mapsTo("workerType", WORKER_TYPES)).optional(),
      })
      .strict()
      .optional()
      .describe("The HRIS's words → rolecall's, e.g. 'On Leave' → leave."),
  })
  .strict();
export type HrSource = z.infer<typeof HrSourceSchema>;
