import type { SandboxStore } from "./store.js";

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
export function summarise(store: SandboxStore): SandboxListing {
  const users = [...store.scan("User")]
    .map((user) => ({
      id: user.id,
      userName: String(user.body["userName"]),
      externalId: user.externalId,
      active: user.body["active"] !== false,
    }))
    .sort((a, b) => compare(a.userName, b.userName) || compare(a.id, b.id));
  const groups = [...store.scan("Group")]
    .map((group) => ({
      id: group.id,
      displayName: String(group.body["displayName"]),
      members: store.members(group.id).map((member) => member.userName).sort(compare),
    }))
    .sort((a, b) => compare(a.displayName, b.displayName) || compare(a.id, b.id));
  return { users, groups };
}

/** Code-unit order: unlike localeCompare, the same on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
