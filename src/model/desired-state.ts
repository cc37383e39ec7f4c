import { z } from "zod";
import { FindingSchema } from "./finding.js";

/** Why someone holds a role: the rule that matched, the role that included it, or the grant. */
export const ReasonSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("rule"),
    rule: z.string(),
    matched: z.record(z.string(), z.union([z.string(), z.boolean()])),
  }),
  z.object({ kind: z.literal("include"), via: z.array(z.string()).describe("Role chain, outermost first.") }),
  z.object({
    kind: z.literal("grant"),
    grant: z.string(),
    ticket: z.string().optional(),
    expires: z.string(),
  }),
  z.object({ kind: z.literal("service-account"), serviceAccount: z.string() }),
]);
export type Reason = z.infer<typeof ReasonSchema>;

export const LifecycleState = z.enum(["prehire", "active", "leave", "leaver"]);
export type LifecycleState = z.infer<typeof LifecycleState>;

export const HeldRoleSchema = z.object({ role: z.string(), reasons: z.array(ReasonSchema) });
export type HeldRole = z.infer<typeof HeldRoleSchema>;

export const PersonSchema = z.object({
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
  department: z.string().optional(),
  location: z.string().optional(),
  title: z.string().optional(),
  managerId: z.string().optional(),
  roles: z.array(HeldRoleSchema),
  source: z.object({ file: z.string(), line: z.number().int() }),
});
export type Person = z.infer<typeof PersonSchema>;

export const ServiceAccountStateSchema = z.object({
  id: z.string(),
  owner: z.string(),
  purpose: z.string(),
  expires: z.string(),
  declared: z.boolean(),
  reason: z.string(),
  roles: z.array(HeldRoleSchema),
});
export type ServiceAccountState = z.infer<typeof ServiceAccountStateSchema>;

/** Why an entitlement exists in a target: the roles (and their reasons) that put it there. */
export const EntitlementReasonSchema = z.object({ role: z.string(), reasons: z.array(ReasonSchema) });

export const ScimUserSchema = z.object({
  key: z.string().describe("Worker ID: the Pulumi resource name."),
  userName: z.string(),
  externalId: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  displayName: z.string(),
  email: z.string(),
  active: z.boolean(),
  title: z.string().optional(),
});
export type ScimUser = z.infer<typeof ScimUserSchema>;

export const ScimGroupSchema = z.object({
  key: z.string().describe("Catalog key: the Pulumi resource name."),
  displayName: z.string(),
  members: z.array(
    z.object({ user: z.string().describe("Worker ID"), because: z.array(EntitlementReasonSchema) }),
  ),
});
export type ScimGroup = z.infer<typeof ScimGroupSchema>;

export const ScimProjectionSchema = z.object({
  users: z.array(ScimUserSchema),
  groups: z.array(ScimGroupSchema),
});
export type ScimProjection = z.infer<typeof ScimProjectionSchema>;

/** The compiled desired state: plain JSON, deterministic, every entitlement with its reasons. */
export const DesiredStateSchema = z.object({
  asOf: z.string(),
  inputs: z.array(z.object({ path: z.string(), sha256: z.string() })),
  people: z.array(PersonSchema),
  serviceAccounts: z.array(ServiceAccountStateSchema),
  targets: z.object({ scim: ScimProjectionSchema.optional() }),
  findings: z.array(FindingSchema),
});
export type DesiredState = z.infer<typeof DesiredStateSchema>;
