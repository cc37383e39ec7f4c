import { checkGroup } from "./check.js";
import type { ScimClient } from "./client.js";
import { diffProperties } from "./diff.js";
import type { MemberChanges } from "./member-patch.js";
import { groupFromScim, groupToScim, membersOf, type GroupProps } from "./mapping.js";
import { checkedInputs, withoutId, type Dependencies, type ResourceType } from "./resource-type.js";
import { ScimError } from "./scim-error.js";
import type { ValueMap } from "./values.js";

export type GroupApi = Pick<
  ScimClient,
  "createGroup" | "getGroup" | "replaceGroup" | "deleteGroup" | "findGroupByDisplayName" | "patchGroupMembers"
>;

/** `rolecall-scim:index:Group`: one resource holds the group and its whole membership. */
export const groupType: ResourceType<GroupApi> = {
  check: checkGroup,

  diff: (olds, news) => diffProperties(olds, news, { ignore: ["scimId"], sets: ["members"] }),

  async create(deps, news, urn) {
    const group = checkedInputs<GroupProps>(checkGroup, news);
    let id: string;
    try {
      id = groupFromScim(await deps.client.createGroup(groupToScim(group))).scimId;
    } catch (err) {
      if (!(err instanceof ScimError && err.status === 409)) throw err;
      id = await adopt(deps, group, err, urn);
    }
    return { id, outputs: { ...group, scimId: id } as ValueMap };
  },

  async read(deps, id) {
    const live = await deps.client.getGroup(id);
    if (!live) return null;
    const state = groupFromScim(live);
    return { outputs: state as ValueMap, inputs: withoutId(state) as ValueMap };
  },

  async update(deps, id, olds, news) {
    const group = checkedInputs<GroupProps>(checkGroup, news);
    const oldMembers = stringList(olds["members"]);
    if (olds["displayName"] === group.displayName && olds["externalId"] === group.externalId) {
      // Membership only: touch exactly the members that changed, nothing else.
      await deps.client.patchGroupMembers(id, changesBetween(oldMembers, group.members));
    } else {
      await replaceThenSyncMembers(deps, id, group, oldMembers);
    }
    return { ...group, scimId: id } as ValueMap;
  },

  async delete(deps, id) {
    await deps.client.deleteGroup(id);
  },
};

/** Same rule as for users: a group is adopted only when its externalId is our catalog key. */
async function adopt(deps: Dependencies<GroupApi>, group: GroupProps, conflict: ScimError, urn: string): Promise<string> {
  const existing = await deps.client.findGroupByDisplayName(group.displayName);
  if (!existing) {
    throw new Error(
      `SCIM group "${group.displayName}" (catalog key ${group.externalId}) could not be created: ${conflict.message}. ` +
        `No group with that displayName exists, so the conflict is on another unique attribute; check the directory.`,
    );
  }
  const { scimId, externalId } = groupFromScim(existing);
  if (externalId !== group.externalId) {
    throw new Error(
      `SCIM group "${group.displayName}" already exists (id ${scimId}) with externalId ` +
        `${externalId === undefined ? "unset" : `"${externalId}"`}, not catalog key ${group.externalId}. ` +
        `rolecall does not take over a group it did not create. If it is this catalog group, set its externalId to ` +
        `"${group.externalId}" in the directory; otherwise give the catalog group another displayName, then run again.`,
    );
  }
  await replaceThenSyncMembers(deps, scimId, group, membersOf(existing) ?? []);
  deps.log.info(`adopted existing SCIM group "${group.displayName}" (id ${scimId}): its externalId matches catalog key ${group.externalId}`, urn);
  return scimId;
}

/**
 * PUT carries the group's own attributes only: restating thousands of members in one body is
 * what SPs time out on or reject. But RFC 7644 §3.5.1 lets an SP either keep or clear
 * attributes a PUT omits, so the membership to patch against is what the PUT response shows.
 * When the response has no members attribute we cannot tell which happened: re-add every
 * desired member (adding a present member changes nothing) and remove those we knew of.
 */
async function replaceThenSyncMembers(
  deps: Dependencies<GroupApi>,
  id: string,
  group: GroupProps,
  knownMembers: readonly string[],
): Promise<void> {
  const replaced = await deps.client.replaceGroup(id, { ...groupToScim(group, { withMembers: false }), id });
  const live = replaced && membersOf(replaced);
  const changes = live ? changesBetween(live, group.members) : { add: group.members, remove: without(knownMembers, group.members) };
  await deps.client.patchGroupMembers(id, changes);
}

function changesBetween(current: readonly string[], desired: readonly string[]): MemberChanges {
  return { add: without(desired, current), remove: without(current, desired) };
}

function without(values: readonly string[], excluded: readonly string[]): string[] {
  const skip = new Set(excluded);
  return values.filter((v) => !skip.has(v));
}

function stringList(value: ValueMap[string] | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
