import { z } from "zod";
import { IsoDate } from "./common.js";

/** A value a rule tested: a person field, the reportsTo chain, or isManager. */
export const AttributeValueSchema = z.union([z.string(), z.boolean(), z.array(z.string())]);
export type AttributeValue = z.infer<typeof AttributeValueSchema>;

const Freed = z.strictObject({ workerId: z.string(), on: IsoDate.describe("The day its worker stopped using it.") });

/**
 * Which login and email each worker ID holds, and which ones can never be handed out again.
 * Compile takes the previous ledger as an input and returns the next one; the stack record
 * keeps it (see src/compile/IDENTITIES.md for why it lives there).
 */
export const IdentityLedgerSchema = z.strictObject({
  assigned: z.record(
    z.string(),
    z.strictObject({
      login: z.string(),
      email: z.string(),
      base: z.string().optional().describe("The login the template gives for the person's name, when it differs from the login (a suffix was added, or the name changed and the login was kept)."),
      released: IsoDate.optional().describe("The day this worker ID stopped holding an account; its login and email stay reserved for it (a rehire gets them back)."),
    }),
  ),
  retired: z
    .strictObject({ logins: z.record(z.string(), Freed), emails: z.record(z.string(), Freed) })
    .describe("Logins and emails a worker used before a rename: never given to another worker ID."),
});
export type IdentityLedger = z.infer<typeof IdentityLedgerSchema>;

/** What a role granted, kept so a later compile can say which role stopped granting what. */
export const RoleGrantsSchema = z.record(
  z.string(),
  z.strictObject({
    includes: z.array(z.string()),
    items: z.record(z.string(), z.array(z.string())).describe("Per target, the items it grants directly, as `kind:key`."),
  }),
);
export type RoleGrants = z.infer<typeof RoleGrantsSchema>;

/**
 * The parts of the stack's record of the last apply that compile reads: the identity ledger,
 * the attributes the rules saw per person, what each role granted, and who held what. Records
 * written before a field existed simply lack it.
 */
export const PreviousRecordSchema = z.object({
  asOf: IsoDate.optional(),
  accounts: z.record(z.string(), z.object({ email: z.string(), kind: z.string() })).optional(),
  holdings: z.record(z.string(), z.record(z.string(), z.array(z.string()))).optional(),
  identities: IdentityLedgerSchema.optional(),
  attributes: z.record(z.string(), z.record(z.string(), AttributeValueSchema)).optional(),
  roleGrants: RoleGrantsSchema.optional(),
});
export type PreviousRecord = z.infer<typeof PreviousRecordSchema>;
