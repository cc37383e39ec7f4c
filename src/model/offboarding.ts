import { z } from "zod";
import { LifecycleState } from "./directory.js";

/**
 * The closed-loop offboarding proof: after an apply, every identity that lost its access in
 * that run (a leaver, someone on leave, someone gone from the roster, a service account no
 * longer declared) read back live from every enabled target.
 */

export const ProofVerdict = z.enum(["proven", "failed", "unverified"]).describe("proven: the live read found nothing left beyond what the desired state keeps; failed: an account or a holding remains; unverified: a target could not be read live.");
export type ProofVerdict = z.infer<typeof ProofVerdict>;

/** Something an identity still holds in a target, by catalog key where the catalog has it. */
export const HoldingFoundSchema = z.strictObject({
  account: z.string().describe("The target's id of the account holding it."),
  kind: z.string().describe("group, adminRole, directoryRole, assignment: the target's held kinds."),
  item: z.string().describe("The catalog key, or the target's display name for an item no catalog declares."),
  inCatalog: z.boolean(),
});
export type HoldingFound = z.infer<typeof HoldingFoundSchema>;

export const AccountFoundSchema = z.strictObject({
  id: z.string().describe("The target's id of the account."),
  userName: z.string(),
  active: z.boolean().optional().describe("Whether it may sign in; absent where the target does not say."),
});
export type AccountFound = z.infer<typeof AccountFoundSchema>;

/** One identity in one target: what the desired state leaves it, what the live read found, and the verdict. */
export const TargetVerdictSchema = z.strictObject({
  target: z.string(),
  verdict: ProofVerdict,
  checkedAt: z.string().optional().describe("UTC, ISO 8601: when the target's live read finished (absent when it could not be read)."),
  expected: z
    .enum(["absent", "disabled", "without-access"])
    .describe(
      "What the desired state leaves of the account: none; one that cannot sign in; or, in a target that has no way to disable an account (AWS Identity Center), one that holds nothing, so signing in reaches nothing.",
    ),
  accounts: z.array(AccountFoundSchema).describe("Every live account matching the identity (externalId, login or email); empty when none is left."),
  remaining: z.array(HoldingFoundSchema).describe("Holdings found that the desired state does not give the identity: each one fails the proof."),
  kept: z.array(HoldingFoundSchema).describe("Holdings the desired state still gives (policy lifecycle.onLeave: keep-entitlements)."),
  problems: z.array(z.string()).describe("Why the verdict is not proven, in words."),
});
export type TargetVerdict = z.infer<typeof TargetVerdictSchema>;

export const ProofSubjectSchema = z.strictObject({
  id: z.string().describe("Worker ID or service-account key."),
  kind: z.enum(["person", "service-account"]),
  state: LifecycleState.or(z.literal("removed")).describe("'removed': no longer in the desired state at all."),
  reason: z.string(),
  logins: z.array(z.string()).describe("The logins the identity's accounts are known by (matched with the worker ID as externalId)."),
  verdict: ProofVerdict,
  targets: z.array(TargetVerdictSchema).describe("One verdict per enabled target."),
  revoked: z
    .strictObject({
      accounts: z.record(z.string(), z.enum(["deleted", "disabled"])).describe("Per target whose account changed."),
      removed: z.record(z.string(), z.array(z.string())).describe("Per target, the items taken away (`kind:key`)."),
    })
    .optional()
    .describe("Leaver fast path: what the run revoked."),
});
export type ProofSubject = z.infer<typeof ProofSubjectSchema>;

export const UnreadTargetSchema = z.strictObject({ target: z.string(), reason: z.string() });

/** offboarding.json: the proof after an apply (full or fast path), per identity and target. */
export const OffboardingProofSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(2),
  stack: z.string(),
  planDigest: z.string().describe("The plan the apply executed."),
  checkedAt: z.string().describe("UTC, ISO 8601: when the last target's live read finished."),
  method: z.string(),
  verdict: ProofVerdict.describe("failed if any identity failed on any target, else unverified if any target could not be read for someone, else proven."),
  proven: z.boolean().describe("verdict is proven: every identity checked on every enabled target, nothing left."),
  unread: z.array(UnreadTargetSchema).describe("Enabled targets that could not be read live, and why."),
  people: z.array(ProofSubjectSchema),
  readBack: z
    .strictObject({
      method: z.string(),
      proven: z.boolean().describe("The refreshing preview found every target as the fast path declared it."),
      differences: z.array(z.string()).describe("What the read-back found still different (empty when proven)."),
    })
    .optional()
    .describe("Leaver fast path: each resource the update wrote, read back from its target afterwards."),
});
export type OffboardingProof = z.infer<typeof OffboardingProofSchema>;

/** One identity an attestation re-checked: the proof's subject, with where it left. */
export const AttestedSubjectSchema = ProofSubjectSchema.omit({ revoked: true, verdict: true }).extend({
  verdict: ProofVerdict.or(z.literal("returned")).describe("returned: the identity is active again today (rehired, back from leave, declared again): access is expected, nothing was checked."),
  left: z
    .strictObject({
      bundle: z.string().nullable().describe("The last applied evidence bundle in which it lost its access; null when no applied bundle since the date names it — a leaver in today's HR export whose apply bundle is missing, checked all the same."),
      asOf: z.string().describe("That bundle's as-of date; with no bundle, the as-of date of today's desired state the HR export was read for."),
    })
    .describe("Where it lost its access."),
});
export type AttestedSubject = z.infer<typeof AttestedSubjectSchema>;

/** attestation.json: every identity that lost its access since a date, re-checked live now. */
export const AttestationSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  stack: z.string(),
  since: z.string().describe("YYYY-MM-DD: applies whose as-of date is on or after it are covered."),
  checkedAt: z.string().describe("UTC, ISO 8601: when the last target's live read finished."),
  method: z.string(),
  verdict: ProofVerdict,
  proven: z.boolean(),
  sources: z
    .array(z.strictObject({ bundle: z.string(), asOf: z.string(), planDigest: z.string(), files: z.record(z.string(), z.string()).describe("sha256 of each file read from the bundle.") }))
    .describe("The applied evidence bundles the identities were taken from."),
  unread: z.array(UnreadTargetSchema),
  people: z.array(AttestedSubjectSchema),
});
export type Attestation = z.infer<typeof AttestationSchema>;
