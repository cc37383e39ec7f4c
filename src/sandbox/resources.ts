import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { ScimError } from "./scim/errors.js";
import { applyPatch, memberOperations, type MemberOperation } from "./scim/patch.js";
import { isRecord } from "./scim/paths.js";
import { ENTERPRISE_SCHEMA, type ResourceKind } from "./scim/schema.js";
import { normalizeResource } from "./scim/validate.js";
import type { SandboxStore, StoredMember, StoredResource } from "./store.js";

type Json = Record<string, unknown>;

/** Where the sandbox is reached, for meta.location and member $ref: http://127.0.0.1:<port>/scim/v2 */
export interface Site {
  store: SandboxStore;
  base: string;
}

interface Member {
  value: string;
  display?: string;
  $ref?: string;
}

export function etag(resource: StoredResource): string {
  return `W/"${resource.version}"`;
}

export function locationOf(site: Site, kind: ResourceKind, id: string): string {
  return `${site.base}${kind.endpoint}/${encodeURIComponent(id)}`;
}

export function findResource(site: Site, kind: ResourceKind, id: string): StoredResource {
  const found = site.store.get(kind.name, id);
  if (!found) throw new ScimError(404, undefined, `${kind.name} ${id} not found`);
  return found;
}

export function createResource(site: Site, kind: ResourceKind, body: unknown): StoredResource {
  const { attributes, members } = split(kind, normalizeResource(kind, withActive(kind, body)));
  return site.store.transaction(() => {
    const nameKey = nameKeyOf(kind, attributes);
    assertUnique(site, kind, nameKey, attributes, undefined);
    const now = new Date().toISOString();
    const created: StoredResource = {
      kind: kind.name,
      id: randomUUID(),
      nameKey,
      externalId: externalIdOf(attributes),
      created: now,
      lastModified: now,
      version: 1,
      body: attributes,
    };
    site.store.insert(created);
    if (members) writeMembers(site, created.id, [], members);
    return created;
  });
}

export function replaceResource(site: Site, kind: ResourceKind, id: string, body: unknown, ifMatch: string | undefined): StoredResource {
  const { attributes, members } = split(kind, normalizeResource(kind, withActive(kind, body)));
  return site.store.transaction(() => {
    const current = findResource(site, kind, id);
    checkPrecondition(current, ifMatch);
    return save(site, kind, current, attributes, kind.name === "Group" ? (members ?? []) : undefined);
  });
}

export function patchResource(site: Site, kind: ResourceKind, id: string, body: unknown, ifMatch: string | undefined): StoredResource {
  return site.store.transaction(() => {
    const current = findResource(site, kind, id);
    checkPrecondition(current, ifMatch);
    const memberOps = kind.name === "Group" ? memberOperations(body) : undefined;
    const patched = memberOps && patchMembers(site, current, memberOps);
    if (patched) return patched;
    const before: Json = kind.name === "Group" ? { ...current.body, members: site.store.members(id).map(asMember) } : current.body;
    const { attributes, members } = split(kind, applyPatch(kind, before, body));
    return save(site, kind, current, attributes, kind.name === "Group" ? (members ?? []) : undefined);
  });
}

/**
 * A PATCH of a group's members alone, applied row by row: what applyPatch would make of it, at
 * the cost of the members it names rather than of the whole group (a leaver's removal from a
 * group of 10,000 reads ten thousand ids, not ten thousand members with their users).
 * Undefined, before anything is written, for one that removes a member and adds it back: that
 * drops the display and $ref it was stored with, which the general path works out.
 */
function patchMembers(site: Site, group: StoredResource, operations: readonly MemberOperation[]): StoredResource | undefined {
  const had = site.store.memberIds(group.id);
  const present = new Set(had);
  const byValue = new Map<string, Set<string>>();
  const index = (id: string) => {
    const key = id.toLowerCase();
    if (!byValue.has(key)) byValue.set(key, new Set());
    byValue.get(key)!.add(id);
  };
  had.forEach(index);
  const before = new Set(had);
  for (const operation of operations) {
    if (operation.op === "add") {
      for (const id of operation.ids) {
        if (present.has(id)) continue;
        if (before.has(id)) return undefined;
        present.add(id);
        index(id);
      }
    } else {
      const key = operation.value.toLowerCase();
      for (const id of byValue.get(key) ?? []) present.delete(id);
      byValue.delete(key);
    }
  }
  const added = [...present].filter((id) => !before.has(id));
  const removed = had.filter((id) => !present.has(id));
  const unknown = added.filter((id) => !site.store.get("User", id));
  if (unknown.length > 0) throw unknownMembers(unknown);
  if (added.length === 0 && removed.length === 0) return group;
  const next: StoredResource = { ...group, lastModified: new Date().toISOString(), version: group.version + 1 };
  site.store.update(next);
  for (const id of removed) site.store.removeMember(group.id, id);
  for (const id of added) site.store.addMember(group.id, { userId: id, display: null, ref: null });
  return next;
}

export function deleteResource(site: Site, kind: ResourceKind, id: string, ifMatch: string | undefined): void {
  site.store.transaction(() => {
    const current = findResource(site, kind, id);
    checkPrecondition(current, ifMatch);
    if (kind.name === "User") {
      const now = new Date().toISOString();
      for (const group of site.store.groupsWithMember(id)) site.store.update({ ...group, lastModified: now, version: group.version + 1 });
    }
    site.store.delete(id);
  });
}

/** The attribute each kind computes from the membership table. */
export const RELATED: Record<ResourceKind["name"], string> = { User: "groups", Group: "members" };

/**
 * The resource as served (RFC 7643 §3): schemas, id, attributes, computed members/groups, meta.
 * `related: false` leaves out a group's members or a user's groups (RELATED), for a request
 * whose projection drops them anyway: they are the costly part of a large group or a busy user.
 */
export function render(site: Site, kind: ResourceKind, resource: StoredResource, { related = true } = {}): Json {
  const out: Json = { schemas: schemasOf(kind, resource.body), id: resource.id, ...resource.body };
  if (related && kind.name === "Group") {
    out["members"] = site.store.members(resource.id).map((member) => ({
      value: member.userId,
      $ref: member.ref ?? `${site.base}/Users/${encodeURIComponent(member.userId)}`,
      display: member.display ?? member.userName,
      type: "User",
    }));
  } else if (related) {
    const groups = site.store.groupsOf(resource.id).map((group) => ({
      value: group.id,
      $ref: `${site.base}/Groups/${encodeURIComponent(group.id)}`,
      display: group.displayName,
      type: "direct",
    }));
    if (groups.length > 0) out["groups"] = groups;
  }
  out["meta"] = {
    resourceType: kind.name,
    created: resource.created,
    lastModified: resource.lastModified,
    location: locationOf(site, kind, resource.id),
    version: etag(resource),
  };
  return out;
}

/**
 * If-Match (RFC 7644 §3.14, RFC 7232 §3.1): the write goes ahead only when the client's ETag is
 * still the resource's; weak comparison, as the sandbox's ETags are weak.
 */
export function checkPrecondition(resource: StoredResource, ifMatch: string | undefined): void {
  if (ifMatch === undefined) return;
  const tags = ifMatch.split(",").map((tag) => tag.trim().replace(/^W\//, ""));
  if (tags.includes("*") || tags.includes(`"${resource.version}"`)) return;
  throw new ScimError(412, undefined, `${resource.kind} ${resource.id} is at version ${etag(resource)}, not ${ifMatch}`);
}

function save(site: Site, kind: ResourceKind, current: StoredResource, attributes: Json, members: Member[] | undefined): StoredResource {
  const nameKey = nameKeyOf(kind, attributes);
  assertUnique(site, kind, nameKey, attributes, current.id);
  const before = members === undefined ? [] : site.store.members(current.id);
  const membersChanged = members !== undefined && !sameMembers(before, members);
  if (isDeepStrictEqual(current.body, attributes) && !membersChanged) return current;
  const next: StoredResource = {
    ...current,
    nameKey,
    externalId: externalIdOf(attributes),
    body: attributes,
    lastModified: new Date().toISOString(),
    version: current.version + 1,
  };
  site.store.update(next);
  if (members !== undefined && membersChanged) writeMembers(site, current.id, before, members);
  return next;
}

/** Whether these are the members stored, each with the same display and $ref: the store keeps no order of its own to compare. */
function sameMembers(stored: readonly StoredMember[], members: readonly Member[]): boolean {
  if (stored.length !== members.length) return false;
  const had = new Map(stored.map((member) => [member.userId, asMember(member)]));
  return members.every((member) => isDeepStrictEqual(had.get(member.value), member));
}

/** Writes only the membership delta: a PATCH adding one member to a large group touches one row. */
function writeMembers(site: Site, groupId: string, before: StoredMember[], members: Member[]): void {
  const wanted = new Map(members.map((member) => [member.value, member]));
  const had = new Map(before.map((member) => [member.userId, asMember(member)]));
  const unknown: string[] = [];
  for (const [userId, member] of wanted) {
    const old = had.get(userId);
    if (old && isDeepStrictEqual(old, member)) continue;
    if (!old && !site.store.get("User", userId)) {
      unknown.push(userId);
      continue;
    }
    if (old) site.store.removeMember(groupId, userId);
    site.store.addMember(groupId, { userId, display: member.display ?? null, ref: member.$ref ?? null });
  }
  if (unknown.length > 0) throw unknownMembers(unknown);
  for (const userId of had.keys()) if (!wanted.has(userId)) site.store.removeMember(groupId, userId);
}

function unknownMembers(unknown: readonly string[]): ScimError {
  const shown = unknown.slice(0, 10).join(", ") + (unknown.length > 10 ? `, … (${unknown.length} in all)` : "");
  return new ScimError(400, "invalidValue", `members must be existing user ids; unknown: ${shown}`);
}

function asMember(member: StoredMember): Member {
  return {
    value: member.userId,
    ...(member.display === null ? {} : { display: member.display }),
    ...(member.ref === null ? {} : { $ref: member.ref }),
  };
}

/** A group's own attributes apart from its members, which live in their own table. */
function split(kind: ResourceKind, resource: Json): { attributes: Json; members?: Member[] } {
  if (kind.name !== "Group") return { attributes: resource };
  const { members, ...attributes } = resource;
  if (members === undefined) return { attributes };
  const unique = new Map<string, Member>();
  for (const member of members as Json[]) {
    if (typeof member["value"] !== "string") throw new ScimError(400, "invalidValue", "every member needs a value (the user's id)");
    if (member["type"] !== undefined && member["type"] !== "User") {
      throw new ScimError(400, "invalidValue", `members here are users; ${JSON.stringify(member["type"])} is not supported`);
    }
    const { type: _type, ...kept } = member;
    if (!unique.has(member["value"])) unique.set(member["value"], kept as unknown as Member);
  }
  return { attributes, members: [...unique.values()] };
}

/** RFC 7643 leaves an absent `active` undefined; provisioning clients take it as enabled. */
function withActive(kind: ResourceKind, body: unknown): unknown {
  if (kind.name !== "User" || !isRecord(body)) return body;
  const hasActive = Object.keys(body).some((key) => key.toLowerCase() === "active" && body[key] !== null);
  return hasActive ? body : { ...body, active: true };
}

function nameKeyOf(kind: ResourceKind, attributes: Json): string {
  return String(attributes[kind.name === "User" ? "userName" : "displayName"]).toLowerCase();
}

function externalIdOf(attributes: Json): string | null {
  return typeof attributes["externalId"] === "string" ? attributes["externalId"] : null;
}

/** userName and displayName are caseExact:false, so "Ada" and "ada" collide. */
function assertUnique(site: Site, kind: ResourceKind, nameKey: string, attributes: Json, selfId: string | undefined): void {
  const holder = site.store.byName(kind.name, nameKey);
  if (holder && holder.id !== selfId) {
    const attribute = kind.name === "User" ? "userName" : "displayName";
    throw new ScimError(409, "uniqueness", `${attribute} "${String(attributes[attribute])}" is already used by ${holder.id}`);
  }
}

function schemasOf(kind: ResourceKind, body: Json): string[] {
  return kind.name === "User" && body[ENTERPRISE_SCHEMA] !== undefined ? [kind.core.id, ENTERPRISE_SCHEMA] : [kind.core.id];
}
