import { listedIds, packIds } from "../../member-list.js";
import { checkGroup, sameName } from "./check.js";
import type { ScimClient } from "./client.js";
import { diffProperties } from "./diff.js";
import { changesBetween, liveMembers, putWithMembers, syncMembers } from "./group-members.js";
import { MEMBER_CHUNK_SIZE } from "./member-patch.js";
import { groupFromScim, groupToScim, membersOf, type GroupProps } from "./mapping.js";
import { checkedInputs, withoutId, type Dependencies, type ResourceType } from "./resource-type.js";
import { ScimError } from "./scim-error.js";
import type { PatchOperation } from "./scim-types.js";
import type { ValueMap } from "./values.js";

export type GroupApi = Pick<
  ScimClient,
  | "capabilities"
  | "createGroup"
  | "getGroup"
  | "readGroup"
  | "replaceGroup"
  | "patchGroup"
  | "deleteGroup"
  | "findGroupByDisplayName"
  | "patchGroupMembers"
  | "removesMembersByValue"
>;

/** `rolecall-scim:index:Group`: one resource holds the group and its whole membership. */
export const groupType: ResourceType<GroupApi> = {
  check: checkGroup,

  diff: (olds, news) => diffProperties(olds, news, { ignore: ["scimId", "adoptId", "adoptDisplayName"], sets: ["members"] }),

  async create(deps, news, urn) {
    const { adoptId, adoptDisplayName, ...group } = groupInputs(news);
    if (adoptId !== undefined) {
      const current = await adoptById(deps, group, adoptId, adoptDisplayName, urn);
      await syncMembers(deps.client, adoptId, group, current);
      return { id: adoptId, outputs: outputsOf(group, adoptId) };
    }
    const { patch } = await deps.client.capabilities();
    // With PATCH, the POST carries one chunk and the rest follows in PATCHes, so a group of
    // any size fits every SP's body limit. Without PATCH, the POST is the only way in.
    const first = patch ? group.members.slice(0, MEMBER_CHUNK_SIZE) : group.members;
    let id: string;
    let current: string[];
    try {
      const { resource, recovered } = await deps.client.createGroup(groupToScim({ ...group, members: first }));
      id = resource.id;
      current = membersOf(resource) ?? (recovered || first.length === 0 ? [] : await liveMembers(deps.client, id));
      if (recovered) {
        deps.log.info(`SCIM group "${group.displayName}" (id ${id}) was created by an attempt whose answer was lost; found it by externalId ${group.externalId}`, urn);
      }
    } catch (err) {
      if (!(err instanceof ScimError && err.status === 409)) throw err;
      ({ id, current } = await adopt(deps, group, err, urn));
    }
    await syncMembers(deps.client, id, group, current);
    return { id, outputs: outputsOf(group, id) };
  },

  async read(deps, id) {
    const live = await deps.client.readGroup(id);
    if (!live) return null;
    const state = groupFromScim(live);
    const outputs = { ...state, members: packIds(state.members) };
    return { outputs, inputs: withoutId(outputs) };
  },

  async update(deps, id, olds, news) {
    const { adoptId: _id, adoptDisplayName: _name, ...group } = groupInputs(news);
    const known = listedIds(olds["members"]);
    const { patch } = await deps.client.capabilities();
    if (!patch) {
      await putWithMembers(deps.client, id, group, changesBetween(known, group.members));
    } else {
      await rename(deps.client, id, group, attributeReplaces(olds, group));
      await syncMembers(deps.client, id, group, known);
    }
    return outputsOf(group, id);
  },

  async delete(deps, id) {
    await deps.client.deleteGroup(id);
  },
};

/**
 * Brownfield adoption of a group the CLI matched to a catalog group by id: read again, adopted
 * only if it still has the displayName it was matched by; renamed to the catalog's and its
 * membership moved to the declared one by difference (the caller syncs members).
 */
async function adoptById(deps: Dependencies<GroupApi>, group: GroupProps, id: string, displayName: string | undefined, urn: string): Promise<string[]> {
  const live = await deps.client.getGroup(id);
  if (!live) throw new Error(`SCIM group ${id}, to be adopted as catalog group ${group.externalId}, no longer exists; run plan again (rolecall then creates the group)`);
  const state = groupFromScim(live);
  if (displayName !== undefined && !sameName(state.displayName, displayName)) {
    throw new Error(`SCIM group ${id} was "${displayName}" when it was matched to catalog group ${group.externalId}, and is now "${state.displayName ?? ""}"; nothing was adopted. Run plan again.`);
  }
  const current = membersOf(live) ?? (await liveMembers(deps.client, id));
  const replaces = attributeReplaces({ displayName: state.displayName, externalId: state.externalId }, group);
  const { patch } = await deps.client.capabilities();
  if (patch) await rename(deps.client, id, group, replaces);
  else if (replaces.length > 0) await putWithMembers(deps.client, id, group, { add: [], remove: [] });
  deps.log.info(`adopted existing SCIM group "${state.displayName ?? id}" (id ${id}) as catalog group ${group.externalId}`, urn);
  return current;
}

/**
 * Same rule as for users: a group is adopted only when its externalId is our catalog key.
 * Its membership is then moved to ours from what it really holds, by difference.
 */
async function adopt(deps: Dependencies<GroupApi>, group: GroupProps, conflict: ScimError, urn: string): Promise<{ id: string; current: string[] }> {
  const existing = await deps.client.findGroupByDisplayName(group.displayName);
  if (!existing) {
    throw new Error(
      `SCIM group "${group.displayName}" (catalog key ${group.externalId}) could not be created: ${conflict.message}. ` +
        `No group with that displayName exists, so the conflict is on another unique attribute; check the directory.`,
    );
  }
  const { scimId, externalId, displayName } = groupFromScim(existing);
  if (externalId !== group.externalId) {
    throw new Error(
      `SCIM group "${group.displayName}" already exists (id ${scimId}) with externalId ` +
        `${externalId === undefined ? "unset" : `"${externalId}"`}, not catalog key ${group.externalId}. ` +
        `rolecall does not take over a group it did not create. If it is this catalog group, set its externalId to ` +
        `"${group.externalId}" in the directory; otherwise give the catalog group another displayName, then run again.`,
    );
  }
  const current = await liveMembers(deps.client, scimId);
  const { patch } = await deps.client.capabilities();
  if (displayName !== group.displayName) {
    if (patch) await rename(deps.client, scimId, group, attributeReplaces({ displayName, externalId }, group));
    else await putWithMembers(deps.client, scimId, group, { add: [], remove: [] });
  }
  deps.log.info(`adopted existing SCIM group "${group.displayName}" (id ${scimId}): its externalId matches catalog key ${group.externalId}`, urn);
  return { id: scimId, current };
}

/**
 * A PATCH replace of the changed attributes; an SP that supports PATCH but not on these
 * attributes (501) gets a PUT of the group with its live members, unchanged.
 */
async function rename(client: GroupApi, id: string, group: GroupProps, replaces: PatchOperation[]): Promise<void> {
  if (replaces.length === 0) return;
  try {
    await client.patchGroup(id, replaces);
  } catch (err) {
    if (!(err instanceof ScimError && err.status === 501)) throw err;
    await putWithMembers(client, id, group, { add: [], remove: [] });
  }
}

/** PATCH replaces of the group's own attributes: a rename never restates (or risks) the membership. */
function attributeReplaces(olds: ValueMap | Partial<GroupProps>, group: GroupProps): PatchOperation[] {
  const ops: PatchOperation[] = [];
  if (olds["displayName" as keyof typeof olds] !== group.displayName) ops.push({ op: "replace", path: "displayName", value: group.displayName });
  if (olds["externalId" as keyof typeof olds] !== group.externalId) ops.push({ op: "replace", path: "externalId", value: group.externalId });
  return ops;
}

/** The checked inputs, members unpacked: the engine holds them packed (member-list.ts). */
function groupInputs(news: ValueMap): GroupProps & { adoptId?: string; adoptDisplayName?: string } {
  const inputs = checkedInputs<GroupProps & { adoptId?: string; adoptDisplayName?: string }>(checkGroup, news);
  return { ...inputs, members: listedIds(inputs.members) };
}

function outputsOf(group: GroupProps, id: string): ValueMap {
  return { ...group, members: packIds(group.members), scimId: id };
}
