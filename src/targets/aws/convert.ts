import type { AwsProjection, DirectoryGroup, DirectoryUser } from "../../model/desired-state.js";
import type { AwsTargetSettings } from "./settings.js";

/**
 * Pure conversions from the AWS projection to the arguments of @pulumi/aws resources. Nothing
 * here creates a resource; see plan.ts for what gets declared and component.ts for declaring it.
 */

type PermissionSet = AwsProjection["permissionSets"][number];
type Assignment = AwsProjection["assignments"][number];

/** The identitystore.User arguments rolecall sets (identityStoreId is added by the component). */
export interface IdentityStoreUserArgs {
  userName: string;
  displayName: string;
  name: { givenName: string; familyName: string };
  emails: { value: string; primary: boolean; type: string };
  userType: string;
  title?: string;
}

/**
 * The Identity Store userName: the immutable key (worker ID or service-account key), plus the
 * configured suffix. terraform-provider-aws docs (identitystore_user): user_name forces a new
 * resource, so it must never come from an email or a name — a rename stays an update.
 */
export function identityStoreUserName(user: Pick<DirectoryUser, "key">, settings: Pick<AwsTargetSettings, "userNameSuffix">): string {
  return `${user.key}${settings.userNameSuffix ?? ""}`;
}

/**
 * Every input of identitystore.User (@pulumi/aws 7.48), `name`'s parts spelled out. The
 * provider's update sends one UpdateUser operation per attribute that differs from the
 * refreshed state (identitystore/user.go, resourceUserUpdate: `d.HasChange` per field), and an
 * attribute the program leaves unset differs from one another writer set: it goes as null,
 * which removes it.
 */
export const AWS_USER_INPUTS = [
  "addresses", "displayName", "emails", "identityStoreId", "locale", "name.familyName", "name.formatted", "name.givenName",
  "name.honorificPrefix", "name.honorificSuffix", "name.middleName", "nickname", "phoneNumbers", "preferredLanguage",
  "profileUrl", "region", "timezone", "title", "userName", "userType",
] as const;

/**
 * What the engine leaves as Identity Center has it on a user: every input rolecall does not set
 * for this account (phones, addresses, locale, the other name parts, a title when HR has none).
 * The bridge drops ignored attributes from the diff, so no operation is sent for them.
 * `identityStoreId` is set by the component; `region` comes from the provider.
 */
export function awsUserIgnoreChanges(args: IdentityStoreUserArgs): string[] {
  const owned = new Set<string>(["identityStoreId", "region", ...Object.keys(args).filter((k) => k !== "name"), ...Object.keys(args.name).map((k) => `name.${k}`)]);
  return AWS_USER_INPUTS.filter((input) => !owned.has(input));
}

/** The group's description is left alone when the catalog has none (others may have written one). */
export function awsGroupIgnoreChanges(args: { description?: string }): string[] {
  return args.description === undefined ? ["description"] : [];
}

/**
 * A permission set's relay state and tags are not rolecall's, nor its description when the
 * catalog has none. The provider's update sends description, relayState and sessionDuration
 * from the planned state together (permission_set.go: the API clears an omitted relay state),
 * so an ignored relay state is re-sent as Identity Center holds it.
 */
export function awsPermissionSetIgnoreChanges(args: { description?: string }): string[] {
  return ["relayState", "tags", ...(args.description === undefined ? ["description"] : [])];
}

/** A DirectoryUser as identitystore.User arguments. Lifecycle is not here: see {@link holdsAccess}. */
export function identityStoreUserArgs(user: DirectoryUser, settings: Pick<AwsTargetSettings, "userNameSuffix">): IdentityStoreUserArgs {
  return {
    userName: identityStoreUserName(user, settings),
    displayName: user.displayName,
    name: { givenName: user.givenName, familyName: user.familyName },
    // identitystore_user docs: at most one email, unique across the identity store; updatable.
    emails: { value: user.email, primary: true, type: "work" },
    userType: user.kind === "service-account" ? "ServiceAccount" : "Person",
    ...(user.title ? { title: user.title } : {}),
  };
}

/**
 * Whether the account may hold group memberships (and so any AWS access) in Identity Center.
 * The Identity Store has no disabled user (@pulumi/aws 7.48 exposes `userStatus` as an output
 * only), so a user who must not sign in is kept membership-free instead: pre-hires and leavers
 * in grace hold no entitlements already; a person on leave whose policy keeps entitlements
 * (`onLeave: keep-entitlements`) would otherwise keep live AWS access.
 */
export function holdsAccess(user: Pick<DirectoryUser, "active" | "state">): boolean {
  // Belt and braces: compile folds the state into `active`; a person must also be `active`.
  return user.active && (user.state === undefined || user.state === "active");
}

/** The identitystore.Group arguments (displayName and description update in place). */
export function identityStoreGroupArgs(group: Pick<DirectoryGroup, "displayName" | "description">): { displayName: string; description?: string } {
  return { displayName: group.displayName, ...(group.description ? { description: group.description } : {}) };
}

/** The ssoadmin.PermissionSet arguments. `name` forces a new resource (ssoadmin_permission_set docs). */
export function permissionSetArgs(set: PermissionSet): { name: string; description?: string; sessionDuration: string } {
  return { name: set.name, sessionDuration: set.sessionDuration, ...(set.description ? { description: set.description } : {}) };
}

/** Resource name of one group membership: `<group key>/<user key>`. */
export function membershipName(group: string, user: string): string {
  return `${group}/${user}`;
}

/** Resource name of one account assignment: `<group key>/<account key>/<permission set key>`. */
export function assignmentName(a: Assignment): string {
  return `${a.group}/${a.account}/${a.permissionSet}`;
}

/**
 * Names the Identity Store refuses for users and groups (Identity Store API reference,
 * CreateUser: "Administrator and AWSAdministrators are reserved names").
 */
export const RESERVED_NAMES: readonly string[] = ["Administrator", "AWSAdministrators"];

export function isReservedName(name: string): boolean {
  return RESERVED_NAMES.some((r) => r.toLowerCase() === name.toLowerCase());
}
