import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import SCIMMY from "scimmy";
import { matchFilter, paginate } from "./query.js";
import type { GroupAttributes, ResourceMeta, SandboxStore, StoredGroup, StoredUser, UserAttributes } from "./store.js";

type Resource = InstanceType<typeof SCIMMY.Types.Resource>;

let declared = false;

/**
 * Declares Users and Groups to scimmy. Declarations are process-global, so this runs once, at
 * the first server start rather than at import. The handlers take the store from the request
 * context (see server.ts), which keeps them independent of any one server instance.
 */
export function declareSandboxResources(): void {
  if (declared) return;
  declared = true;
  SCIMMY.Resources.declare(SCIMMY.Resources.User, {
    // Okta and Entra send the enterprise extension; declaring it keeps what they send.
    extensions: [{ schema: SCIMMY.Schemas.EnterpriseUser, required: false }],
    egress: (resource: Resource, store: SandboxStore) => readUsers(resource, store),
    ingress: (resource: Resource, instance: object, store: SandboxStore) => writeUser(resource, instance, store),
    degress: (resource: Resource, store: SandboxStore) => deleteUser(resource, store),
  });
  SCIMMY.Resources.declare(SCIMMY.Resources.Group, {
    egress: (resource: Resource, store: SandboxStore) => readGroups(resource, store),
    ingress: (resource: Resource, instance: object, store: SandboxStore) => writeGroup(resource, instance, store),
    degress: (resource: Resource, store: SandboxStore) => deleteGroup(resource, store),
  });
}

function readUsers(resource: Resource, store: SandboxStore) {
  const { users } = store.data;
  if (resource.id !== undefined) return userOut(find(users, resource.id, "User"));
  const all = users.map(userOut);
  return paginate(resource, resource.filter ? matchFilter(resource.filter, all, SCIMMY.Schemas.User.definition) : all);
}

function readGroups(resource: Resource, store: SandboxStore) {
  const { users, groups } = store.data;
  const userNames = new Map(users.map((user) => [user.id, user.attributes.userName]));
  if (resource.id !== undefined) return groupOut(find(groups, resource.id, "Group"), userNames);
  const all = groups.map((group) => groupOut(group, userNames));
  return paginate(resource, resource.filter ? matchFilter(resource.filter, all, SCIMMY.Schemas.Group.definition) : all);
}

function writeUser(resource: Resource, instance: object, store: SandboxStore) {
  const { schemas: _schemas, meta: _meta, ...accepted } = plain(instance);
  // RFC 7643 leaves an absent `active` undefined; provisioning clients treat it as enabled.
  const attributes = { active: true, ...accepted } as UserAttributes;
  return store.mutate((data) => {
    assertUnique(data.users, (user) => user.attributes.userName, attributes.userName, resource.id, "userName");
    if (resource.id === undefined) {
      const user: StoredUser = { id: randomUUID(), meta: newMeta(), attributes };
      data.users.push(user);
      return userOut(user);
    }
    const user = find(data.users, resource.id, "User");
    if (!isDeepStrictEqual(user.attributes, attributes)) {
      user.attributes = attributes;
      touch(user.meta);
    }
    return userOut(user);
  });
}

function writeGroup(resource: Resource, instance: object, store: SandboxStore) {
  const { schemas: _schemas, meta: _meta, members = [], ...accepted } = plain(instance);
  const attributes = accepted as GroupAttributes;
  const memberIds = [...new Set((members as { value?: string }[]).map((member) => member.value ?? ""))];
  return store.mutate((data) => {
    assertUnique(data.groups, (group) => group.attributes.displayName, attributes.displayName, resource.id, "displayName");
    const userNames = new Map(data.users.map((user) => [user.id, user.attributes.userName]));
    const unknown = memberIds.filter((id) => !userNames.has(id));
    if (unknown.length > 0) {
      throw new SCIMMY.Types.Error(400, "invalidValue", `members must be existing user ids; unknown: ${unknown.join(", ")}`);
    }
    if (resource.id === undefined) {
      const group: StoredGroup = { id: randomUUID(), meta: newMeta(), attributes, members: memberIds };
      data.groups.push(group);
      return groupOut(group, userNames);
    }
    const group = find(data.groups, resource.id, "Group");
    if (!isDeepStrictEqual(group.attributes, attributes) || !isDeepStrictEqual(group.members, memberIds)) {
      group.attributes = attributes;
      group.members = memberIds;
      touch(group.meta);
    }
    return groupOut(group, userNames);
  });
}

async function deleteUser(resource: Resource, store: SandboxStore): Promise<void> {
  await store.mutate((data) => {
    const id = find(data.users, resource.id, "User").id;
    data.users = data.users.filter((user) => user.id !== id);
    for (const group of data.groups) {
      if (group.members.includes(id)) {
        group.members = group.members.filter((member) => member !== id);
        touch(group.meta);
      }
    }
  });
}

async function deleteGroup(resource: Resource, store: SandboxStore): Promise<void> {
  await store.mutate((data) => {
    const id = find(data.groups, resource.id, "Group").id;
    data.groups = data.groups.filter((group) => group.id !== id);
  });
}

function userOut(user: StoredUser) {
  return { id: user.id, ...user.attributes, meta: metaOut(user.meta) };
}

function groupOut(group: StoredGroup, userNames: ReadonlyMap<string, string>) {
  return {
    id: group.id,
    ...group.attributes,
    members: group.members.map((id) => ({ value: id, display: userNames.get(id), type: "User" })),
    meta: metaOut(group.meta),
  };
}

function metaOut(meta: ResourceMeta) {
  return { created: meta.created, lastModified: meta.lastModified, version: `W/"${meta.version}"` };
}

function newMeta(): ResourceMeta {
  const now = new Date().toISOString();
  return { created: now, lastModified: now, version: 1 };
}

function touch(meta: ResourceMeta): void {
  meta.lastModified = new Date().toISOString();
  meta.version += 1;
}

function find<T extends { id: string }>(records: readonly T[], id: string | undefined, type: string): T {
  const record = records.find((candidate) => candidate.id === id);
  if (!record) throw new SCIMMY.Types.Error(404, "", `${type} ${id} not found`);
  return record;
}

/** userName and group displayName are caseExact:false, so "Ada" and "ada" collide. */
function assertUnique<T extends { id: string }>(
  records: readonly T[],
  keyOf: (record: T) => string,
  value: string,
  selfId: string | undefined,
  attribute: string,
): void {
  const wanted = value.toLowerCase();
  const holder = records.find((record) => record.id !== selfId && keyOf(record).toLowerCase() === wanted);
  if (holder) {
    throw new SCIMMY.Types.Error(409, "uniqueness", `${attribute} "${value}" is already used by ${holder.id}`);
  }
}

function plain(instance: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(instance)) as Record<string, unknown>;
}
