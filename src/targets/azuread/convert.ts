import type { DirectoryGroup, DirectoryUser } from "../../model/desired-state.js";
import type { AzureAdTargetSettings } from "./settings.js";

/** Pulumi type tokens of the resources this target declares (part of every URN). */
export const AZUREAD_TYPES = {
  provider: "pulumi:providers:azuread",
  user: "azuread:index/user:User",
  initialPassword: "random:index/randomPassword:RandomPassword",
  group: "azuread:index/group:Group",
  /** A large group: the group without its members, which are one GroupMember each. */
  groupWithoutMembers: "azuread:index/groupWithoutMembers:GroupWithoutMembers",
  groupMember: "azuread:index/groupMember:GroupMember",
  directoryRole: "azuread:index/directoryRole:DirectoryRole",
  directoryRoleAssignment: "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment",
} as const;

/** The user fields rolecall sets, as plain values (the password is declared beside them). */
export interface AzureAdUserFields {
  userPrincipalName: string;
  displayName: string;
  givenName: string;
  surname: string;
  mail: string;
  accountEnabled: boolean;
  forcePasswordChange: true;
  employeeId?: string;
  department?: string;
  jobTitle?: string;
  /** Set by the component to the manager's object ID when HR names a manager who has an account here. */
  managerId?: string;
  /** The worker ID, when the UPN's domain is federated (Entra ID requires it on create there). */
  onpremisesImmutableId?: string;
}

/**
 * Every input of azuread.User (@pulumi/azuread 6.9.1). The provider's update sends the whole
 * user with each unset field as an explicit null (user_resource.go, userResourceUpdate:
 * nullable.NoZero of every attribute), and removes the manager when managerId is empty.
 */
export const AZUREAD_USER_INPUTS = [
  "accountEnabled", "ageGroup", "businessPhones", "city", "companyName", "consentProvidedForMinor", "costCenter", "country",
  "department", "disablePasswordExpiration", "disableStrongPassword", "displayName", "division", "employeeHireDate",
  "employeeId", "employeeType", "faxNumber", "forcePasswordChange", "givenName", "jobTitle", "mail", "mailNickname",
  "managerId", "mobilePhone", "officeLocation", "onpremisesImmutableId", "otherMails", "password", "postalCode",
  "preferredLanguage", "showInAddressList", "state", "streetAddress", "surname", "usageLocation", "userPrincipalName",
] as const;

/**
 * What the engine must leave as the tenant has it: every input rolecall does not set for this
 * account (usageLocation, phones, office, a manager when HR names none…), the password, which
 * only seeds the account, and `accountEnabled` while it is held (enabled.ts). The bridge drops
 * ignored attributes from the diff, so the provider's update re-sends what the refreshed state
 * holds instead of nulls. Ignored inputs still count at creation.
 */
export function azureAdUserIgnoreChanges(fields: AzureAdUserFields, holdEnabled = false): string[] {
  const owned = new Set<string>(Object.keys(fields));
  return AZUREAD_USER_INPUTS.filter((input) => input === "password" || !owned.has(input) || (holdEnabled && input === "accountEnabled"));
}

/** Entra ID caps employeeId at 16 characters (user_resource.go: StringLenBetween(0, 16)). */
export const EMPLOYEE_ID_MAX = 16;

/**
 * The user principal name: the account's sign-in name, derived from its user name (the email
 * compile settled on). With `upnDomain` the local part moves to that domain. A UPN change is
 * an in-place update of the same object, so deriving it from a mutable email is safe.
 */
export function userPrincipalName(user: Pick<DirectoryUser, "key" | "userName">, upnDomain?: string): string {
  const at = user.userName.lastIndexOf("@");
  if (at <= 0 || at === user.userName.length - 1) {
    throw new Error(`azuread: user ${user.key} has user name '${user.userName}', which is not an email address; Entra ID needs one for its userPrincipalName`);
  }
  return upnDomain ? `${user.userName.slice(0, at)}@${upnDomain}` : user.userName;
}

/**
 * Whether the account may sign in. Compile folds the lifecycle into `active`; the state is
 * checked too so that a pre-hire, a person on leave or a leaver in grace can never be enabled
 * by a projection that got `active` wrong. Service accounts carry no state.
 */
export function accountEnabled(user: Pick<DirectoryUser, "active" | "state">): boolean {
  return user.active && (user.state === undefined || user.state === "active");
}

/** employeeId links the Entra account to the HR record; only people have one. */
export function employeeId(user: Pick<DirectoryUser, "key" | "kind" | "externalId">): string | undefined {
  if (user.kind !== "person") return undefined;
  if (user.externalId.length > EMPLOYEE_ID_MAX) {
    throw new Error(
      `azuread: worker ID '${user.externalId}' (user ${user.key}) is ${user.externalId.length} characters; Entra ID's employeeId holds at most ${EMPLOYEE_ID_MAX}`,
    );
  }
  return user.externalId;
}

/** The azuread.User fields of one account, the password aside. */
export function azureAdUserFields(user: DirectoryUser, settings: Pick<AzureAdTargetSettings, "upnDomain" | "federated">): AzureAdUserFields {
  const id = employeeId(user);
  return {
    userPrincipalName: userPrincipalName(user, settings.upnDomain),
    displayName: user.displayName,
    givenName: user.givenName,
    surname: user.familyName,
    mail: user.email,
    accountEnabled: accountEnabled(user),
    // Only takes effect together with a password change — here, the initial password at creation
    // (user_resource.go sends passwordProfile on create, and on update only if the password changed).
    forcePasswordChange: true,
    ...(id === undefined ? {} : { employeeId: id }),
    ...(user.department ? { department: user.department } : {}),
    ...(user.title ? { jobTitle: user.title } : {}),
    // Federated domains: Entra ID refuses to create a user without it; the IdP sends the same value.
    ...(settings.federated ? { onpremisesImmutableId: user.externalId } : {}),
  };
}

/**
 * The random initial password: a secret nobody is shown (first sign-in goes through a
 * Temporary Access Pass or an admin reset, then the forced change). Fits Entra ID's policy —
 * 8 to 256 characters, three of four character classes — and random's default special
 * characters are all in Entra ID's allowed set. Changing any of these replaces every
 * RandomPassword; the User ignores its password after creation, so nobody's is reset.
 */
export const INITIAL_PASSWORD = { length: 32, special: true, minUpper: 2, minLower: 2, minNumeric: 2, minSpecial: 2 } as const;

/**
 * The inputs that force a new azuread group (terraform-provider-azuread group_resource.go, ForceNew;
 * test/program/fixtures/replace-on-change.json) and that {@link azureAdGroupFields} never sets.
 * Ignored on every group: on a group rolecall created they hold the provider's defaults anyway; on an
 * adopted one (a Microsoft 365 group's `types`, its `mailNickname`) the live value differs from the
 * unset input, and the diff would replace the group — the engine refuses that for an import, and
 * would do it at the run after.
 */
export const AZUREAD_GROUP_UNSET_FORCE_NEW = ["assignableToRole", "behaviors", "mailNickname", "provisioningOptions", "types", "visibility"] as const;

/** The azuread.Group fields of a catalog group, its members aside. */
export interface AzureAdGroupFields {
  displayName: string;
  description?: string;
  securityEnabled: true;
  mailEnabled: false;
  preventDuplicateNames: true;
}

/**
 * A security group (not mail-enabled, no Microsoft 365 `types`). preventDuplicateNames makes
 * create (and a display-name change) fail when another group already has the name, instead
 * of quietly creating a second one: Entra ID group names are not unique (group.md).
 */
export function azureAdGroupFields(group: Pick<DirectoryGroup, "displayName" | "description">): AzureAdGroupFields {
  return {
    displayName: group.displayName,
    ...(group.description ? { description: group.description } : {}),
    securityEnabled: true,
    mailEnabled: false,
    preventDuplicateNames: true,
  };
}

/** Name of one member of a group: `<group key>/<user key>`. */
export function groupMemberName(groupKey: string, userKey: string): string {
  return `${groupKey}/${userKey}`;
}

/** Name of the assignment of directory role `roleKey` to user `userKey`: `<role key>/<user key>`. */
export function roleAssignmentName(roleKey: string, userKey: string): string {
  return `${roleKey}/${userKey}`;
}
