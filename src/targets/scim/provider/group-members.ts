import type { ScimClient } from "./client.js";
import { groupToScim, membersOf, type GroupProps } from "./mapping.js";
import type { MemberChanges } from "./member-patch.js";
import { ScimError } from "./scim-error.js";

export type MembersApi = Pick<ScimClient, "capabilities" | "getGroup" | "replaceGroup" | "patchGroupMembers" | "removesMembersByValue">;

/** Rounds of "re-read, patch the rest" before a membership sync gives up. */
const SYNC_ROUNDS = 3;

export function changesBetween(current: readonly string[], desired: readonly string[]): MemberChanges {
  return { add: without(desired, current), remove: without(current, desired) };
}

/**
 * Moves the group's membership from `current` (what we believe it holds) to the group's
 * declared members, touching only the difference: PATCH add/remove where the SP supports it,
 * so nobody who stays is ever out of the group, even for a moment. Where PATCH is not
 * supported, a PUT of the whole group built from a fresh read (see putWithMembers).
 *
 * A member PATCH that the SP refuses because a removal has no target, or that failed after an
 * attempt whose outcome we never saw, may already be (partly) applied: the group is read
 * back and only what is still missing is sent. So is a change whose removals went as a value
 * array (an SP refusing the RFC's filter form): what the SP made of it is checked, not assumed.
 */
export async function syncMembers(client: MembersApi, id: string, group: GroupProps, current: readonly string[]): Promise<void> {
  const initial = changesBetween(current, group.members);
  if (initial.add.length === 0 && initial.remove.length === 0) return;
  const { patch } = await client.capabilities();
  if (!patch) {
    await putWithMembers(client, id, group, initial);
    return;
  }
  let believed = current;
  for (let round = 1; ; round++) {
    const changes = changesBetween(believed, group.members);
    if (settled(changes)) return;
    try {
      await client.patchGroupMembers(id, changes);
    } catch (err) {
      if (round >= SYNC_ROUNDS || !mayBeOurOwnWrite(err)) throw err;
      believed = await liveMembers(client, id);
      continue;
    }
    if (changes.remove.length === 0 || !client.removesMembersByValue()) return;
    believed = await liveMembers(client, id);
    if (round >= SYNC_ROUNDS && !settled(changesBetween(believed, group.members))) {
      throw new Error(
        `SCIM group ${id}: the service refuses member removals by filter (501) and did not apply them as a value array either; ` +
          `it holds ${believed.length} members, not the ${group.members.length} declared. Remove the members in the directory, then run again.`,
      );
    }
  }
}

/**
 * For an SP without PATCH: re-read the group, apply our changes to the members it holds now
 * (so a member added by someone else since our last read stays, exactly as with PATCH), and
 * PUT the group with that full set.
 */
export async function putWithMembers(client: MembersApi, id: string, group: GroupProps, changes: MemberChanges): Promise<void> {
  const live = await liveMembers(client, id);
  const removed = new Set(changes.remove);
  const members = [...new Set([...live.filter((m) => !removed.has(m)), ...changes.add])].sort();
  await client.replaceGroup(id, { ...groupToScim({ ...group, members }), id });
}

/** The members the SP holds now; a group without the attribute has none (SCIM omits empty values). */
export async function liveMembers(client: Pick<MembersApi, "getGroup">, id: string): Promise<string[]> {
  const live = await client.getGroup(id);
  if (!live) throw new Error(`SCIM group ${id} disappeared while its membership was being changed`);
  return membersOf(live) ?? [];
}

function mayBeOurOwnWrite(err: unknown): boolean {
  if (!(err instanceof ScimError)) return false;
  if (err.status === 400 && err.scimType === "noTarget") return true;
  return err.afterUncertainAttempt && err.status >= 400 && err.status < 500 && err.status !== 429;
}

function settled(changes: MemberChanges): boolean {
  return changes.add.length === 0 && changes.remove.length === 0;
}

function without(values: readonly string[], excluded: readonly string[]): string[] {
  const skip = new Set(excluded);
  return values.filter((v) => !skip.has(v));
}
