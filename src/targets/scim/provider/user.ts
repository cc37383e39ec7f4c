import { checkUser, sameName } from "./check.js";
import type { ScimClient } from "./client.js";
import { diffProperties } from "./diff.js";
import { userFromScim, userToScim, type UserProps } from "./mapping.js";
import { checkedInputs, withoutId, type Dependencies, type ResourceType } from "./resource-type.js";
import { ScimError } from "./scim-error.js";
import type { ValueMap } from "./values.js";

export type UserApi = Pick<ScimClient, "createUser" | "readUser" | "replaceUser" | "deleteUser" | "findUserByUserName">;

/**
 * `rolecall-scim:index:User`. Outputs after create and update are the inputs plus scimId,
 * not the SP's echo: an SP that normalises a value would otherwise show a change on every
 * plan. Refresh (read) is where the live values come in.
 */
export const userType: ResourceType<UserApi> = {
  check: checkUser,

  // The adoption inputs matter to create only: a later run that no longer declares them changes nothing.
  diff: (olds, news) => diffProperties(olds, news, { ignore: ["scimId", ...ADOPT_INPUTS] }),

  async create(deps, news, urn) {
    const { adoptId, adoptUserName, ...user } = checkedInputs<UserProps & AdoptInputs>(checkUser, news);
    if (adoptId !== undefined) return { id: await adoptById(deps, user, adoptId, adoptUserName, urn), outputs: { ...user, scimId: adoptId } as ValueMap };
    const body = userToScim(user);
    let id: string;
    try {
      const { resource, recovered } = await deps.client.createUser(body);
      id = userFromScim(resource).scimId;
      if (recovered) {
        // Found by externalId after a create whose answer was lost: written by us a moment ago,
        // or by an earlier attempt with other values, so make it ours exactly.
        if (!sameAccount(userFromScim(resource), user)) await deps.client.replaceUser(id, { ...body, id });
        deps.log.info(`SCIM user "${user.userName}" (id ${id}) was created by an attempt whose answer was lost; found it by externalId ${user.externalId}`, urn);
      }
    } catch (err) {
      if (!(err instanceof ScimError && err.status === 409)) throw err;
      id = await adopt(deps, user, err, urn);
    }
    return { id, outputs: { ...user, scimId: id } as ValueMap };
  },

  async read(deps, id) {
    const live = await deps.client.readUser(id);
    if (!live) return null;
    const state = userFromScim(live);
    return { outputs: state as ValueMap, inputs: withoutId(state) as ValueMap };
  },

  async update(deps, id, _olds, news) {
    // A full PUT, as Okta sends: every SP accepts it, and it also heals attributes changed
    // by hand in the directory since the last run.
    const { adoptId: _id, adoptUserName: _name, ...user } = checkedInputs<UserProps & AdoptInputs>(checkUser, news);
    await deps.client.replaceUser(id, { ...userToScim(user), id });
    return { ...user, scimId: id } as ValueMap;
  },

  async delete(deps, id) {
    await deps.client.deleteUser(id);
  },
};

const ADOPT_INPUTS = ["adoptId", "adoptUserName"] as const;
interface AdoptInputs {
  adoptId?: string;
  adoptUserName?: string;
}

/**
 * Brownfield adoption: the CLI correlated this existing account with the worker (or a reviewed
 * decision did) and passed its id. It is read again and adopted only if it is still the
 * account the inventory saw, then set to exactly the desired attributes in one PUT.
 */
async function adoptById(deps: Dependencies<UserApi>, user: UserProps, id: string, userName: string | undefined, urn: string): Promise<string> {
  const live = await deps.client.readUser(id);
  if (!live) throw new Error(`SCIM account ${id}, to be adopted as worker ${user.externalId}, no longer exists; run plan again (rolecall then creates the account)`);
  if (userName !== undefined && !sameName(live.userName, userName)) {
    throw new Error(`SCIM account ${id} was ${userName} when it was matched to worker ${user.externalId}, and is now ${live.userName}; nothing was adopted. Run plan again to correlate it afresh.`);
  }
  await deps.client.replaceUser(id, { ...userToScim(user), id });
  deps.log.info(`adopted existing SCIM account ${live.userName} (id ${id}) as worker ${user.externalId}`, urn);
  return id;
}

/**
 * The userName is taken. Adopt the account only if its externalId is our worker ID: it is then
 * this person's account (created by an earlier run whose response was lost, or before rolecall
 * managed the directory). Anyone else's account is never taken over.
 */
async function adopt(deps: Dependencies<UserApi>, user: UserProps, conflict: ScimError, urn: string): Promise<string> {
  const existing = await deps.client.findUserByUserName(user.userName);
  if (!existing) {
    throw new Error(
      `SCIM user "${user.userName}" (worker ${user.externalId}) could not be created: ${conflict.message}. ` +
        `No user with that userName exists, so another unique attribute (such as the email) clashes with an existing account; ` +
        `find that account in the directory and remove or correct it.`,
    );
  }
  const { scimId, externalId } = userFromScim(existing);
  if (externalId !== user.externalId) {
    throw new Error(
      `SCIM user "${user.userName}" already exists (id ${scimId}) with externalId ` +
        `${externalId === undefined ? "unset" : `"${externalId}"`}, not worker ${user.externalId}. ` +
        `rolecall does not take over another identity's account. If it is the same person, set the account's ` +
        `externalId to "${user.externalId}" in the directory; otherwise give one of them another userName ` +
        `(policy login template) or remove the stale account, then run again.`,
    );
  }
  await deps.client.replaceUser(scimId, { ...userToScim(user), id: scimId });
  deps.log.info(`adopted existing SCIM user "${user.userName}" (id ${scimId}): its externalId matches worker ${user.externalId}`, urn);
  return scimId;
}

function sameAccount(live: Partial<UserProps>, user: UserProps): boolean {
  return (Object.keys(user) as (keyof UserProps)[]).every((key) => live[key] === user[key]);
}
