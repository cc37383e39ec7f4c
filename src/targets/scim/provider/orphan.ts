import { checkOrphan, sameName } from "./check.js";
import type { ScimClient } from "./client.js";
import { diffProperties } from "./diff.js";
import { checkedInputs, type Dependencies, type ResourceType } from "./resource-type.js";
import { ScimError } from "./scim-error.js";
import type { ScimUser } from "./scim-types.js";
import type { ValueMap } from "./values.js";

export type OrphanApi = Pick<ScimClient, "capabilities" | "getUser" | "patchUser" | "replaceUser" | "deleteUser">;

interface OrphanProps {
  accountId: string;
  userName: string;
  externalId?: string;
  action: "disable" | "remove";
}

/**
 * `rolecall-scim:index:OrphanAccount`: policy's action on an account nobody owns, as a
 * resource the engine previews, guards and records. Create (and an update to another action)
 * reads the account by id first and acts only if it is still the account the inventory saw —
 * same userName, same externalId — so an id reused by the SP or an account renamed since the
 * plan is never touched. Deleting the resource (the account is gone, policy changed) only
 * forgets it: nothing is restored or removed.
 */
export const orphanType: ResourceType<OrphanApi> = {
  check: checkOrphan,

  // `active` is what the last read saw, not an input: a disabled orphan that reads back enabled
  // (someone turned it on again) is an update, which disables it again.
  diff: (olds, news) => {
    const { active, ...was } = olds;
    const found = diffProperties(was, news);
    if (news["action"] !== "disable" || active !== true || found.diffs.includes("action")) return found;
    return { diffs: [...found.diffs, "active"], detailedDiff: { ...found.detailedDiff, active: "update" } };
  },

  async create(deps, news, urn) {
    const orphan = checkedInputs<OrphanProps>(checkOrphan, news);
    await handle(deps, orphan, urn);
    return { id: orphan.accountId, outputs: actedOn(orphan) };
  },

  async read(deps, id, state) {
    const live = await deps.client.getUser(id);
    // A removed orphan is gone: the resource goes from the state with it.
    if (!live) return null;
    const { active: _active, ...inputs } = state ?? { accountId: id, userName: live.userName };
    return { outputs: { ...inputs, active: !isDisabled(live) }, inputs };
  },

  async update(deps, _id, _olds, news) {
    const orphan = checkedInputs<OrphanProps>(checkOrphan, news);
    await handle(deps, orphan, "");
    return actedOn(orphan);
  },

  async delete(deps, id) {
    deps.log.info(`rolecall no longer handles orphan account ${id}; the account is left as it is`, "");
  },
};

async function handle(deps: Dependencies<OrphanApi>, orphan: OrphanProps, urn: string): Promise<void> {
  const live = await deps.client.getUser(orphan.accountId);
  if (!live) {
    deps.log.info(`orphan account ${orphan.userName} (id ${orphan.accountId}) is already gone`, urn);
    return;
  }
  if (!sameName(live.userName, orphan.userName) || (live.externalId ?? undefined) !== orphan.externalId) {
    throw new Error(
      `SCIM account ${orphan.accountId} is no longer the orphan the inventory read (userName ${orphan.userName}${orphan.externalId ? `, externalId ${orphan.externalId}` : ""}; ` +
        `now ${live.userName}${live.externalId ? `, externalId ${live.externalId}` : ""}); nothing was done to it. Run plan again to classify it afresh.`,
    );
  }
  if (orphan.action === "remove") {
    await deps.client.deleteUser(orphan.accountId);
    deps.log.info(`removed orphan account ${orphan.userName} (id ${orphan.accountId}) per policy`, urn);
    return;
  }
  if (isDisabled(live)) return;
  await disable(deps.client, orphan.accountId, live);
  deps.log.info(`disabled orphan account ${orphan.userName} (id ${orphan.accountId}) per policy`, urn);
}

/** The outputs after acting: a disabled orphan is not active; a removed one has no account to be. */
function actedOn(orphan: OrphanProps): ValueMap {
  return { ...orphan, ...(orphan.action === "disable" ? { active: false } : {}) } as ValueMap;
}

/** Some SPs send `active` as a string. */
function isDisabled(live: ScimUser): boolean {
  return live.active === false || live.active === "False" || live.active === "false";
}

/** PATCH active=false; an SP without PATCH (or not for this attribute) gets the account back as read, with active=false. */
async function disable(client: OrphanApi, id: string, live: ScimUser): Promise<void> {
  const { patch } = await client.capabilities();
  if (patch) {
    try {
      await client.patchUser(id, [{ op: "replace", path: "active", value: false }]);
      return;
    } catch (err) {
      if (!(err instanceof ScimError && err.status === 501)) throw err;
    }
  }
  const { meta: _meta, ...body } = live as ScimUser & { meta?: unknown };
  await client.replaceUser(id, { ...body, active: false });
}
