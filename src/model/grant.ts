import { z } from "zod";
import { IsoDate } from "./common.js";
import { RoleId } from "./role.js";

/** A time-bound, approved exception: a role for one worker from one date to another. */
export const GrantSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and dashes"),
    worker: z.string().min(1),
    role: RoleId,
    reason: z.string().min(1),
    ticket: z.string().optional(),
    approvedBy: z.string().optional().describe("Worker ID of the approver."),
    granted: IsoDate.describe("First day the grant holds."),
    expires: IsoDate.describe("Last day the grant holds (inclusive)."),
    sodExceptions: z
      .array(z.string())
      .default([])
      .describe("Separation-of-duties conflicts (policy ids) this grant knowingly approves for the worker."),
  })
  .strict();
export type Grant = z.infer<typeof GrantSchema>;

/** `grants/*.yaml`. */
export const GrantsFileSchema = z
  .object({ $schema: z.string().optional(), grants: z.array(GrantSchema) })
  .strict();
