import { unpackable } from "../../member-list.js";
import { GROUP_SCHEMA, USER_SCHEMA, type ScimEmail, type ScimGroup, type ScimUser } from "./scim-types.js";

/** The flat inputs of `rolecall-scim:index:User`. */
export interface UserProps {
  userName: string;
  /** The HR worker ID: what proves an existing account is ours. */
  externalId: string;
  givenName: string;
  familyName: string;
  displayName: string;
  email: string;
  active: boolean;
  title?: string;
}

/** The flat inputs of `rolecall-scim:index:Group`. */
export interface GroupProps {
  displayName: string;
  /** The catalog key. */
  externalId: string;
  /** SCIM ids of member users, sorted and unique. */
  members: string[];
}

/** What the service provider holds, flattened; attributes it lacks are absent. */
export type UserState = Partial<UserProps> & { scimId: string };
export type GroupState = Partial<GroupProps> & { scimId: string; members: string[] };

export function userToScim(user: UserProps): ScimUser {
  const body: ScimUser = {
    schemas: [USER_SCHEMA],
    userName: user.userName,
    externalId: user.externalId,
    name: {
      givenName: user.givenName,
      familyName: user.familyName,
      formatted: `${user.givenName} ${user.familyName}`.trim(),
    },
    displayName: user.displayName,
    emails: [{ value: user.email, type: "work", primary: true }],
    active: user.active,
  };
  if (user.title !== undefined) body.title = user.title;
  return body;
}

export function userFromScim(user: ScimUser): UserState {
  return withoutUndefined({
    scimId: requireId(user.id, "user"),
    userName: stringOrUndefined(user.userName),
    externalId: stringOrUndefined(user.externalId),
    givenName: stringOrUndefined(user.name?.givenName),
    familyName: stringOrUndefined(user.name?.familyName),
    displayName: stringOrUndefined(user.displayName),
    email: workEmail(user.emails),
    active: booleanOrUndefined(user.active),
    title: stringOrUndefined(user.title),
  });
}

/** Without members for a PUT, which must not restate a large membership (see group.ts). */
export function groupToScim(group: GroupProps, { withMembers = true }: { withMembers?: boolean } = {}): ScimGroup {
  const body: ScimGroup = { schemas: [GROUP_SCHEMA], displayName: group.displayName, externalId: group.externalId };
  if (withMembers) body.members = group.members.map((value) => ({ value }));
  return body;
}

export function groupFromScim(group: ScimGroup): GroupState {
  return withoutUndefined({
    scimId: requireId(group.id, "group"),
    displayName: stringOrUndefined(group.displayName),
    externalId: stringOrUndefined(group.externalId),
    members: membersOf(group) ?? [],
  });
}

/**
 * Member ids of a SCIM group, or undefined when the SP did not return the attribute at all.
 * An id with a line break is refused: the engine holds members packed one per line (member-list.ts).
 */
export function membersOf(group: ScimGroup): string[] | undefined {
  if (!Array.isArray(group.members)) return undefined;
  const ids = group.members.map((m) => m?.value).filter((v): v is string => typeof v === "string");
  const broken = ids.find(unpackable);
  if (broken !== undefined) throw new Error(`SCIM group ${String(group.id)} lists a member whose id ${JSON.stringify(broken)} holds a line break; rolecall cannot manage that group. Remove the member in the directory.`);
  return sortedUnique(ids);
}

/** Membership is a set; one canonical order keeps state and diffs stable. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

function workEmail(emails: ScimEmail[] | undefined): string | undefined {
  if (!Array.isArray(emails) || emails.length === 0) return undefined;
  const chosen = emails.find((e) => e.primary === true) ?? emails.find((e) => e.type === "work") ?? emails[0];
  return stringOrUndefined(chosen?.value);
}

function requireId(id: unknown, kind: string): string {
  if (typeof id !== "string" || id === "") throw new Error(`the SCIM service returned a ${kind} without an id`);
  return id;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function booleanOrUndefined(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  return undefined;
}

function withoutUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}
