import type { SandboxData } from "./store.js";

export interface SandboxListing {
  users: ListedUser[];
  groups: ListedGroup[];
}

export interface ListedUser {
  id: string;
  userName: string;
  externalId: string | null;
  active: boolean;
}

export interface ListedGroup {
  id: string;
  displayName: string;
  /** Members' userNames. */
  members: string[];
}

/** What `rolecall sandbox ls` shows, in an order that depends only on the content. */
export function summarise(data: SandboxData): SandboxListing {
  const userNames = new Map(data.users.map((user) => [user.id, user.attributes.userName]));
  const users = data.users
    .map((user) => ({
      id: user.id,
      userName: user.attributes.userName,
      externalId: user.attributes.externalId ?? null,
      active: user.attributes.active !== false,
    }))
    .sort((a, b) => compare(a.userName, b.userName) || compare(a.id, b.id));
  const groups = data.groups
    .map((group) => ({
      id: group.id,
      displayName: group.attributes.displayName,
      members: group.members.map((id) => userNames.get(id) ?? id).sort(compare),
    }))
    .sort((a, b) => compare(a.displayName, b.displayName) || compare(a.id, b.id));
  return { users, groups };
}

/** Code-unit order: unlike localeCompare, the same on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
