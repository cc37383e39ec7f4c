import { z } from "zod";
import { FindingSchema } from "./finding.js";
import { AttributeValueSchema, IdentityLedgerSchema, RoleGrantsSchema } from "./previous.js";
import { LifecycleState } from "./directory.js";
import { targetShape } from "../targets/registry.js";

export * from "./directory.js";
// The projection types of the first four targets, where their code and tests have always found them.
export type { AwsProjection } from "../targets/aws/schema.js";
export type { AzureAdProjection } from "../targets/azuread/schema.js";
export type { OktaProjection } from "../targets/okta/schema.js";

/** Why someone holds a role: the rule that matched, the role that included it, or the grant. */
export const ReasonSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("rule"),
    rule: z.string(),
    matched: z.record(z.string(), z.union([z.string(), z.boolean()])),
  }),
  z.strictObject({ kind: z.literal("include"), via: z.array(z.string()).describe("Role chain, outermost first.") }),
  z.strictObject({
    kind: z.literal("grant"),
    grant: z.string(),
    ticket: z.string().optional(),
    expires: z.string(),
  }),
  z.strictObject({ kind: z.literal("service-account"), serviceAccount: z.string() }),
]);
export type Reason = z.infer<typeof ReasonSchema>;


/**
 * Why something held at the last apply is held no more. Computed by compile from the previous
 * record (attributes, what roles granted, who held what) and today's inputs — never guessed
 * from message text.
 */
export const LossReasonSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("lifecycle"), state: LifecycleState.or(z.literal("removed")), reason: z.string() }).describe("The person left, went on leave, or is no longer in the roster."),
  z.strictObject({ kind: z.literal("service-account"), serviceAccount: z.string(), reason: z.string() }),
  z.strictObject({
    kind: z.literal("rule"),
    rule: z.string(),
    changed: z.array(z.strictObject({ attribute: z.string(), from: AttributeValueSchema.nullable(), to: AttributeValueSchema.nullable() })),
  }).describe("A rule that matched the person's previous attributes and does not match the current ones."),
  z.strictObject({ kind: z.literal("grant"), grant: z.string(), ticket: z.string().optional(), expires: z.string(), status: z.enum(["expired", "not-in-force"]) }),
  z.strictObject({ kind: z.literal("include"), role: z.string(), included: z.string() }).describe("A role the person still holds no longer includes the role that granted it."),
  z.strictObject({ kind: z.literal("role"), role: z.string(), change: z.enum(["no-longer-grants", "removed"]) }),
  z.strictObject({ kind: z.literal("no-longer-earned") }).describe("Nothing above explains it: a rule or grant was edited or removed."),
]);
export type LossReason = z.infer<typeof LossReasonSchema>;

export const HeldRoleSchema = z.strictObject({ role: z.string(), privileged: z.boolean(), reasons: z.array(ReasonSchema) });
export type HeldRole = z.infer<typeof HeldRoleSchema>;

export const PersonSchema = z.strictObject({
  id: z.string().describe("HR worker ID: the identity's immutable key."),
  state: LifecycleState,
  stateReason: z.string(),
  account: z.enum(["enabled", "disabled", "absent"]).describe("Whether targets hold an account, and whether it may sign in."),
  login: z.string(),
  email: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  displayName: z.string(),
  workerType: z.string(),
  startDate: z.string().optional().describe("First day of the current employment: tells a returning person from a new joiner."),
  department: z.string().optional(),
  location: z.string().optional(),
  title: z.string().optional(),
  managerId: z.string().optional(),
  attributes: z.record(z.string(), AttributeValueSchema).optional().describe("The values of the attributes rules test, as they saw them (declared people only): the next compile explains a lost rule with them."),
  roles: z.array(HeldRoleSchema),
  source: z.strictObject({ file: z.string(), line: z.number().int() }),
});
export type Person = z.infer<typeof PersonSchema>;

export const ServiceAccountStateSchema = z.strictObject({
  id: z.string(),
  key: z.string().describe("Its account key in every target: the policy's prefix and the id."),
  owner: z.string(),
  purpose: z.string(),
  expires: z.string(),
  declared: z.boolean(),
  reason: z.string(),
  roles: z.array(HeldRoleSchema),
});
export type ServiceAccountState = z.infer<typeof ServiceAccountStateSchema>;


/** The compiled desired state: plain JSON, deterministic, every entitlement with its reasons. */
export const DesiredStateSchema = z.strictObject({
  asOf: z.string(),
  inputs: z.array(z.strictObject({ path: z.string(), sha256: z.string() })),
  people: z.array(PersonSchema),
  serviceAccounts: z.array(ServiceAccountStateSchema),
  targets: z.strictObject(targetShape("projection")),
  identities: IdentityLedgerSchema.describe("Every worker ID's login and email, and those never to be given out again: the next compile's input."),
  roleGrants: RoleGrantsSchema.describe("What each role grants directly and includes, so a later compile can say which role stopped granting what."),
  losses: z
    .array(z.strictObject({ user: z.string(), target: z.string(), item: z.string().describe("`kind:key`"), reasons: z.array(LossReasonSchema) }))
    .describe("What the previous record says someone held and they no longer do, with why."),
  findings: z.array(FindingSchema),
});
export type DesiredState = z.infer<typeof DesiredStateSchema>;
