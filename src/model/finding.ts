import { z } from "zod";

/**
 * A problem found in the inputs. Collected, never thrown: the CLI formats them like a compiler,
 * tests assert the code and the place, not the wording.
 */
export const FindingSchema = z
  .object({
    severity: z.enum(["error", "warning", "info"]),
    code: z.string(),
    message: z.string(),
    file: z.string().optional(),
    line: z.number().int().optional(),
    hint: z.string().optional(),
  })
  .strict();
export type Finding = z.infer<typeof FindingSchema>;
