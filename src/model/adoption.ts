import { z } from "zod";

/**
 * One reviewed decision about an account correlation could not settle alone (disputed), or
 * that the organisation wants settled otherwise: it belongs to this worker ID or service
 * account, or it is nobody's (an orphan, handled by policy.orphans).
 */
export const AdoptionDecisionSchema = z
  .object({
    target: z.string().min(1).describe("The target the account is in: scim, okta, azuread, aws."),
    account: z.string().min(1).describe("The target's own id of the account, as `rolecall inventory` shows it."),
    userName: z
      .string()
      .min(1)
      .describe("The account's userName as the inventory shows it: checked again against the live account, so a decision never lands on another account that took the id."),
    belongsTo: z.string().min(1).describe("The worker ID or service-account key the account belongs to, or `orphan` for nobody's."),
    reason: z.string().min(1).describe("Why: what the reviewer checked."),
    ticket: z.string().optional(),
  })
  .strict();
export type AdoptionDecision = z.infer<typeof AdoptionDecisionSchema>;

/** `adoption.yaml`: the reviewed decisions that settle disputed accounts before a brownfield adoption. */
export const AdoptionFileSchema = z
  .object({
    $schema: z.string().optional(),
    decisions: z.array(AdoptionDecisionSchema).default([]),
  })
  .strict();
export type AdoptionFile = z.infer<typeof AdoptionFileSchema>;

/** One attribute adoption sets on an existing account or group: the live value and rolecall's. */
export const AttributeChangeSchema = z.strictObject({ field: z.string(), from: z.string().optional(), to: z.string().optional() });
export type AttributeChange = z.infer<typeof AttributeChangeSchema>;

/** An existing account or group rolecall takes over instead of creating: the live id and what adoption changes on it. */
export const AdoptionSchema = z.strictObject({
  target: z.string(),
  kind: z.enum(["account", "group"]),
  key: z.string().describe("The worker ID, service-account key or catalog key it becomes (the resource name)."),
  id: z.string().describe("The target's id of the existing account or group."),
  name: z.string().describe("Its userName or displayName as read live."),
  because: z.string().describe("The correlation rule that matched, or the decision in adoption.yaml."),
  importId: z.string().optional().describe("The engine's import ID, for targets adopted with Pulumi's import option."),
  changes: z.array(AttributeChangeSchema).describe("The attributes adoption sets (live value → rolecall's)."),
});
export type Adoption = z.infer<typeof AdoptionSchema>;

export const OrphanActionKind = z.enum(["report", "disable", "remove"]);
export type OrphanActionKind = z.infer<typeof OrphanActionKind>;

/** A live account nobody in HR or the service accounts owns, and what policy does with it. */
export const OrphanSchema = z.strictObject({
  target: z.string(),
  id: z.string(),
  userName: z.string(),
  externalId: z.string().optional(),
  action: OrphanActionKind,
  because: z.string().describe("Why it is an orphan, or why it is left alone (an exclusion pattern)."),
});
export type Orphan = z.infer<typeof OrphanSchema>;

/**
 * What a run adopts and does with orphans, computed by the CLI from the live inventory before
 * anything is declared: an input of declare, like the stack's record.
 */
export interface AdoptionPlan {
  adoptions: Adoption[];
  orphans: Orphan[];
  /** Holdings that exist already for an account or group adopted this run, where adding one again fails (Entra ID, Identity Center). */
  memberships?: MembershipAdoption[];
}

/** A declared holding (a group membership, an Entra ID role assignment) already live for an adopted account or group: imported, not added again. */
export interface MembershipAdoption {
  target: string;
  /** The held kind (`group`, `directoryRole`) and the catalog key of the item. */
  kind: string;
  item: string;
  /** The account key of the holder. */
  member: string;
  importId: string;
}

export const NO_ADOPTION: AdoptionPlan = { adoptions: [], orphans: [] };

/** One target's entries of a run's adoption plan (each target's component and judgement sees only its own). */
export function adoptionIn(plan: AdoptionPlan | undefined, target: string): Required<AdoptionPlan> {
  const mine = <T extends { target: string }>(list: readonly T[] = []) => list.filter((x) => x.target === target);
  return { adoptions: mine(plan?.adoptions), orphans: mine(plan?.orphans), memberships: mine(plan?.memberships) };
}

/** The resource an orphan account's action is declared as: named by the target's id, since it has no worker ID. */
export function orphanResourceName(id: string): string {
  return `orphan-${id}`;
}
