import { z } from "zod";
import { IsoDate } from "./common.js";
import { RoleId } from "./role.js";

/**
 * A reviewed decision that a worker must not hold a role that rules (or the roles they
 * include) would give them. Grants of that very role still hold: a grant is a later, explicit
 * approval. Written by `rolecall access apply-review`, or by hand.
 */
export const ExclusionSchema = z
  .object({
    worker: z.string().min(1),
    role: RoleId,
    reason: z.string().min(1),
    ticket: z.string().optional(),
    decidedBy: z.string().min(1).describe("Worker ID of the reviewer who revoked it."),
    decided: IsoDate.describe("The day of the decision."),
    review: z.string().optional().describe("The review file it came from, under reviews/."),
  })
  .strict();
export type Exclusion = z.infer<typeof ExclusionSchema>;

/** `exclusions/*.yaml`. */
export const ExclusionsFileSchema = z
  .object({ $schema: z.string().optional(), exclusions: z.array(ExclusionSchema) })
  .strict();
