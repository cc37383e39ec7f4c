import { z } from "zod";

/** An account as a target holds it, read live: its target-side id and what correlation can match on. */
export const LiveAccountSchema = z.strictObject({
  id: z.string().describe("The target's own id of the account."),
  userName: z.string(),
  externalId: z.string().optional(),
  emails: z.array(z.string()),
  active: z.boolean().optional().describe("Whether the account may sign in, where the target says."),
  displayName: z.string().optional(),
});
export type LiveAccount = z.infer<typeof LiveAccountSchema>;

/** Something accounts hold in a target (a group, a role), with the ids of the accounts holding it. */
export const LiveItemSchema = z.strictObject({
  kind: z.string().describe("group, adminRole, directoryRole, assignment: the target's held kinds."),
  id: z.string(),
  displayName: z.string(),
  externalId: z.string().optional(),
  members: z.array(z.string()).describe("Account ids."),
  groups: z.array(z.string()).optional().describe("Ids of the groups holding it: an AWS account assignment is held by groups as well as by users."),
  memberships: z
    .record(z.string(), z.string())
    .optional()
    .describe("Per member account id, the target's own id of the membership, where memberships have one (AWS Identity Center): what importing it takes."),
});
export type LiveItem = z.infer<typeof LiveItemSchema>;

/** A resource's attributes as its provider reads them. */
export type Observed = Readonly<Record<string, unknown>>;

/** What one target holds, read live and paged to the end. */
export interface LiveDirectory {
  accounts: LiveAccount[];
  items: LiveItem[];
  /**
   * Every account and item by id (ids are unique per kind only) as the target's provider reads
   * it on a refresh (its outputs), for a target that tells from this one read which resources
   * changed (`Target.changedPart`). Kept in memory only: never written to the evidence.
   */
  observed?: { accounts: ReadonlyMap<string, Observed>; items: ReadonlyMap<string, Observed> };
}

/** One target's live read, as read. */
export interface LiveRead {
  target: string;
  directory: LiveDirectory;
  readAt: string;
}

export const CorrelationRule = z.enum(["externalId", "email", "userName"]);
export type CorrelationRule = z.infer<typeof CorrelationRule>;

export const AccountClass = z.enum(["managed", "linked", "orphan", "disputed", "leaver-present"]);
export type AccountClass = z.infer<typeof AccountClass>;

export const ClassifiedAccountSchema = z.strictObject({
  id: z.string(),
  userName: z.string(),
  externalId: z.string().optional(),
  class: AccountClass,
  identity: z.string().optional().describe("The worker ID or service-account key the account belongs to (managed, linked, leaver-present)."),
  rule: CorrelationRule.optional().describe("The correlation rule that matched."),
  candidates: z.array(z.string()).optional().describe("Every identity it could belong to (disputed)."),
  reason: z.string(),
});
export type ClassifiedAccount = z.infer<typeof ClassifiedAccountSchema>;

export const UnmanagedHoldingSchema = z.strictObject({
  holder: z.string().describe("The identity (worker ID or key), or the live userName of an account no identity owns."),
  account: z.string().describe("The account's id in the target."),
  kind: z.string(),
  item: z.string().describe("The catalog key, or the target's display name for an item no catalog declares."),
  inCatalog: z.boolean(),
  through: z.string().optional().describe("The group the holding comes through (an AWS account assignment to a group): its catalog key, or its display name outside the catalog."),
});
export type UnmanagedHolding = z.infer<typeof UnmanagedHoldingSchema>;

export const TargetInventorySchema = z.strictObject({
  target: z.string(),
  readAt: z.string().describe("When the read finished (ISO 8601)."),
  summary: z.record(AccountClass, z.number().int()),
  accounts: z.array(ClassifiedAccountSchema),
  unmanaged: z.array(UnmanagedHoldingSchema).describe("Holdings nothing declares, per identity."),
});
export type TargetInventory = z.infer<typeof TargetInventorySchema>;

/** `inventory.json`: what every enabled target holds live, correlated with the HR roster. */
export const InventoryDocumentSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  stack: z.string(),
  asOf: z.string(),
  correlation: z.array(CorrelationRule),
  targets: z.array(TargetInventorySchema),
  unread: z.array(z.strictObject({ target: z.string(), reason: z.string() })).describe("Enabled targets whose live read is not available, and why."),
});
export type InventoryDocument = z.infer<typeof InventoryDocumentSchema>;
