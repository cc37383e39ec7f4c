import { checkUser } from "./check.js";
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

  diff: (olds, news) => diffProperties(olds, news, { ignore: ["scimId"] }),

  async create(deps, news, urn) {
    const user = checkedInputs<UserProps>(checkUser, news);
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
    const user = checkedInputs<UserProps>(checkUser, news);
    await deps.client.replaceUser(id, { ...userToScim(user), id });
    return { ...user, scimId: id } as ValueMap;
  },

  async delete(deps, id) {
    await deps.client.deleteUser(id);
  },
};

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
