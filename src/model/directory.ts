import { z } from "zod";

/** The building blocks of every target's projection (each target's schema.ts extends them). */

export const LifecycleState = z.enum(["prehire", "active", "leave", "leaver"]);
export type LifecycleState = z.infer<typeof LifecycleState>;

/** An account in a directory target: a person or a service account. */
export const DirectoryUserSchema = z.strictObject({
  key: z.string().describe("Worker ID (or service-account key): the Pulumi resource name."),
  kind: z.enum(["person", "service-account"]),
  serviceAccount: z.string().optional().describe("The service account's id (service accounts only)."),
  state: LifecycleState.optional().describe("A person's lifecycle state; targets map it to their own statuses."),
  userName: z.string(),
  externalId: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  displayName: z.string(),
  email: z.string(),
  active: z.boolean(),
  title: z.string().optional(),
  department: z.string().optional(),
  managerId: z.string().optional().describe("The HR manager's worker ID (people only); targets with a manager field map it."),
  protected: z.boolean().describe("A break-glass account: never removed by a roster change."),
});
export type DirectoryUser = z.infer<typeof DirectoryUserSchema>;

/** Who holds something in a target (a group, an admin role), each with the roles that put them there. */
export const HoldersSchema = z.array(
  z.strictObject({
    user: z.string().describe("DirectoryUser key"),
    because: z.array(z.string()).describe("The held roles that grant it; their reasons are on the person (or service account)."),
  }),
);
export type Holders = z.infer<typeof HoldersSchema>;

export const DirectoryGroupSchema = z.strictObject({
  key: z.string().describe("Catalog key: the Pulumi resource name."),
  displayName: z.string(),
  description: z.string().optional(),
  members: HoldersSchema,
});
export type DirectoryGroup = z.infer<typeof DirectoryGroupSchema>;

export const DirectorySchema = z.strictObject({ users: z.array(DirectoryUserSchema), groups: z.array(DirectoryGroupSchema) });
export type Directory = z.infer<typeof DirectorySchema>;
