import { z } from "zod";
import { LifecycleState } from "./desired-state.js";

/**
 * offboarding.json: what a leaver fast-path run revoked, per person and target, and whether
 * reading every resource back from the targets after the update found them as declared.
 */
export const OffboardingProofSchema = z.strictObject({
  schemaVersion: z.literal(1),
  planDigest: z.string(),
  verifiedAt: z.string().describe("UTC, ISO 8601: when the targets were read back."),
  method: z.string(),
  proven: z.boolean().describe("The read-back found every target as the fast path declared it."),
  differences: z.array(z.string()).describe("What the read-back found still different (empty when proven)."),
  people: z.array(
    z.strictObject({
      id: z.string(),
      state: LifecycleState.or(z.literal("removed")),
      reason: z.string(),
      accounts: z.record(z.string(), z.enum(["deleted", "disabled"])).describe("Per target whose account changed."),
      removed: z.record(z.string(), z.array(z.string())).describe("Per target, the items taken away (`kind:key`)."),
    }),
  ),
});
export type OffboardingProof = z.infer<typeof OffboardingProofSchema>;
