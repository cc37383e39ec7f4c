import { z } from "zod";
import { IsoDate } from "./common.js";
import { EmploymentStatus, WorkerType } from "./hr-source.js";

/** One roster row after column and value mapping: what compile reasons about. */
export const WorkerSchema = z
  .object({
    workerId: z.string().min(1),
    givenName: z.string().min(1),
    familyName: z.string().min(1),
    preferredName: z.string().optional(),
    email: z.string().email().optional(),
    department: z.string().optional(),
    costCenter: z.string().optional(),
    location: z.string().optional(),
    title: z.string().optional(),
    managerId: z.string().optional(),
    workerType: WorkerType.default("employee"),
    status: EmploymentStatus.default("active"),
    startDate: IsoDate,
    endDate: IsoDate.optional(),
  })
  .strict();
export type Worker = z.infer<typeof WorkerSchema>;

/** Where a value came from, so every finding and every reason can point at a file and line. */
export interface SourcePosition {
  file: string;
  line: number;
}

export interface Located<T> {
  value: T;
  at: SourcePosition;
  /** Lines of the item's own keys and list items (`owner`, `roles.1`), where the file has them. */
  lines?: Readonly<Record<string, number>>;
}
