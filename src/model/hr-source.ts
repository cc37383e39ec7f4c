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

export const WorkerType = z.enum(["employee", "contractor", "intern"]);
export type WorkerType = z.infer<typeof WorkerType>;
export const EmploymentStatus = z.enum(["active", "leave", "terminated"]);
export type EmploymentStatus = z.infer<typeof EmploymentStatus>;

const columnName = z.string().min(1);

/** `hr/source.yaml`: which export to read and how its columns map onto person fields. */
export const HrSourceSchema = z
  .object({
    $schema: z.string().optional(),
    file: z.string().min(1).describe("The export to read, relative to this file (CSV or JSON)."),
    format: z.enum(["csv", "json"]).optional().describe("Defaults to the file's extension."),
    csv: z
      .object({
        delimiter: z.string().length(1).optional().describe("Detected from the header line when absent (`,` or `;`)."),
      })
      .strict()
      .optional(),
    columns: z
      .partialRecord(z.enum(PERSON_FIELDS), columnName)
      .optional()
      .describe("Person field → column (CSV header or JSON key) in the export."),
    values: z
      .object({
        status: z.record(z.string(), EmploymentStatus).optional(),
        workerType: z.record(z.string(), WorkerType).optional(),
      })
      .strict()
      .optional()
      .describe("The HRIS's words → rolecall's, e.g. 'On Leave' → leave."),
  })
  .strict();
export type HrSource = z.infer<typeof HrSourceSchema>;
