import type { GroupApi } from "../../../src/targets/scim/provider/group.js";
import type { ProviderLog } from "../../../src/targets/scim/provider/log.js";
import { ScimError } from "../../../src/targets/scim/provider/scim-error.js";
import type { UserApi } from "../../../src/targets/scim/provider/user.js";

export type Call = [method: string, ...args: unknown[]];

/** A client whose methods (capabilities excepted) record their calls and answer from `overrides` (default: succeed quietly). */
export function fakeClient(overrides: Partial<UserApi & GroupApi> = {}): { client: UserApi & GroupApi; calls: Call[] } {
  const calls: Call[] = [];
  const defaults: UserApi & GroupApi = {
    capabilities: async () => ({ patch: true, filter: true, pageSize: 100, paging: "index" as const }),
    createUser: async (body) => ({ resource: { ...body, id: "new-user" }, recovered: false }),
    readUser: async () => null,
    replaceUser: async (id, body) => ({ ...body, id }),
    deleteUser: async () => {},
    findUserByUserName: async () => null,
    createGroup: async (body) => ({ resource: { ...body, id: "new-group" }, recovered: false }),
    getGroup: async () => null,
    readGroup: async () => null,
    patchGroup: async () => {},
    replaceGroup: async (id, body) => ({ ...body, id }),
    deleteGroup: async () => {},
    findGroupByDisplayName: async () => null,
    patchGroupMembers: async () => {},
    removesMembersByValue: () => false,
  };
  const merged = { ...defaults, ...overrides };
  const client = Object.fromEntries(
    Object.entries(merged).map(([name, fn]) => [
      name,
      (...args: unknown[]) => {
        // Asking what the SP supports is not an action on the directory.
        if (name !== "capabilities" && name !== "removesMembersByValue") calls.push([name, ...args]);
        return (fn as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as unknown as UserApi & GroupApi;
  return { client, calls };
}

export function recordingLog(): ProviderLog & { messages: string[] } {
  const messages: string[] = [];
  return { messages, info: (message) => void messages.push(message) };
}

export const conflict = () =>
  new ScimError({ method: "POST", path: "/Users", status: 409, scimType: "uniqueness", detail: "already exists", structured: true });
