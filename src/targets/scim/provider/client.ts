import { ASSUMED_CAPABILITIES, capabilitiesFrom, GROUP_PAGE_SIZE, type Capabilities } from "./capabilities.js";
import { eqFilter } from "./filter.js";
import { ScimHttp, type ScimHttpOptions } from "./http.js";
import { memberChunks, memberPatchRequest, type MemberChanges, type RemovalForm } from "./member-patch.js";
import { listAll } from "./paging.js";
import { ReadCache } from "./read-cache.js";
import { MAX_RETRY_AFTER_MS } from "./retry.js";
import { ScimError, isResourceNotFound } from "./scim-error.js";
import { PATCH_OP_SCHEMA, type PatchOperation, type ScimGroup, type ScimUser } from "./scim-types.js";

export type ScimClientOptions = ScimHttpOptions;

/** A created resource, and whether it was found by lookup after a create whose answer was lost. */
export interface Created<T> {
  resource: T & { id: string };
  recovered: boolean;
}

export class ScimClient {
  readonly #http: ScimHttp;
  #capabilities: Promise<Capabilities> | undefined;
  #removal: RemovalForm = "filter";
  #leanAnswers = true;
  readonly #users = new ReadCache<ScimUser>(() => this.listUsers());
  readonly #groups = new ReadCache<ScimGroup>(() => this.listGroups());

  constructor(options: ScimClientOptions) {
    this.#http = new ScimHttp(options);
  }

  /** Read once per process from /ServiceProviderConfig. */
  capabilities(): Promise<Capabilities> {
    this.#capabilities ??= this.#http.request("GET", "/ServiceProviderConfig").then(
      (config) => capabilitiesFrom(config),
      (err: unknown) => {
        this.#capabilities = undefined;
        if (isResourceNotFound(err)) return ASSUMED_CAPABILITIES;
        throw err;
      },
    );
    return this.#capabilities;
  }

  /**
   * A create whose outcome is unknown is resolved by looking the user up by externalId before
   * sending it again, so a lost response never makes a duplicate.
   */
  async createUser(body: ScimUser): Promise<Created<ScimUser>> {
    const externalId = body.externalId;
    const lookup = externalId === undefined ? async () => null : () => this.#single("user", externalId, this.findUsersByExternalId(externalId));
    const created = await this.#createResolving("/Users", body, lookup);
    this.#users.invalidate(created.resource.id);
    return created;
  }

  async getUser(id: string): Promise<ScimUser | null> {
    return (await this.#getOrNull(`/Users/${encodeURIComponent(id)}`)) as ScimUser | null;
  }

  /** For refresh: served from one paged listing of all users when the SP allows it. */
  async readUser(id: string): Promise<ScimUser | null> {
    return (await this.#users.find(id)) ?? this.getUser(id);
  }

  /** Undefined when the SP answers without a body. */
  async replaceUser(id: string, body: ScimUser): Promise<ScimUser | undefined> {
    this.#users.invalidate(id);
    return (await this.#http.request("PUT", `/Users/${encodeURIComponent(id)}`, body)) as ScimUser | undefined;
  }

  /** One PatchOp request on a user (attribute replaces, such as disabling it). */
  async patchUser(id: string, operations: PatchOperation[]): Promise<void> {
    this.#users.invalidate(id);
    await this.#http.request("PATCH", `/Users/${encodeURIComponent(id)}`, { schemas: [PATCH_OP_SCHEMA], Operations: operations });
  }

  async deleteUser(id: string): Promise<void> {
    this.#users.invalidate(id);
    // The SP drops the user from every group too.
    this.#groups.invalidate();
    await this.#deleteIfPresent(`/Users/${encodeURIComponent(id)}`);
  }

  /** userName is caseExact:false (RFC 7643 §4.1.1), so a case variant is the same account. */
  async findUserByUserName(userName: string): Promise<ScimUser | null> {
    const found = await this.#search<ScimUser>("/Users", "userName", userName);
    return found.find((u) => sameText(u.userName, userName)) ?? null;
  }

  /** externalId is caseExact:true (RFC 7643 §3.1). */
  async findUsersByExternalId(externalId: string): Promise<ScimUser[]> {
    return (await this.#search<ScimUser>("/Users", "externalId", externalId)).filter((u) => u.externalId === externalId);
  }

  /** Without each user's groups, which rolecall reads from the groups themselves. */
  async listUsers(): Promise<ScimUser[]> {
    const capabilities = await this.capabilities();
    return this.#lean((lean) => listAll<ScimUser>(this.#http, "/Users", capabilities, lean ? { excludedAttributes: "groups" } : {}));
  }

  /** Resolved after an unknown outcome by displayName and externalId together (displayNames need not be unique). */
  async createGroup(body: ScimGroup): Promise<Created<ScimGroup>> {
    const lookup = async () => {
      const ours = (await this.findGroupsByDisplayName(body.displayName)).filter((g) => g.externalId === body.externalId);
      const found = await this.#single("group", body.externalId ?? body.displayName, Promise.resolve(ours));
      // A listed group may come without its members; the caller patches against the real ones.
      return found && typeof found.id === "string" ? ((await this.getGroup(found.id)) ?? found) : found;
    };
    const created = await this.#createResolving("/Groups", body, lookup);
    this.#groups.invalidate(created.resource.id);
    return created;
  }

  async getGroup(id: string): Promise<ScimGroup | null> {
    return (await this.#getOrNull(`/Groups/${encodeURIComponent(id)}`)) as ScimGroup | null;
  }

  /** For refresh; a listed group without a members attribute is fetched, since SPs may leave it out of lists. */
  async readGroup(id: string): Promise<ScimGroup | null> {
    return (await this.#groups.find(id, (g) => Array.isArray(g.members))) ?? this.getGroup(id);
  }

  /** Undefined when the SP answers without a body. */
  async replaceGroup(id: string, body: ScimGroup): Promise<ScimGroup | undefined> {
    this.#groups.invalidate(id);
    return (await this.#http.request("PUT", `/Groups/${encodeURIComponent(id)}`, body)) as ScimGroup | undefined;
  }

  async deleteGroup(id: string): Promise<void> {
    this.#groups.invalidate(id);
    await this.#deleteIfPresent(`/Groups/${encodeURIComponent(id)}`);
  }

  async findGroupByDisplayName(displayName: string): Promise<ScimGroup | null> {
    return (await this.findGroupsByDisplayName(displayName))[0] ?? null;
  }

  async findGroupsByDisplayName(displayName: string): Promise<ScimGroup[]> {
    return (await this.#search<ScimGroup>("/Groups", "displayName", displayName)).filter((g) => sameText(g.displayName, displayName));
  }

  async listGroups(): Promise<ScimGroup[]> {
    const capabilities = await this.capabilities();
    return listAll<ScimGroup>(this.#http, "/Groups", { ...capabilities, pageSize: Math.min(capabilities.pageSize, GROUP_PAGE_SIZE) });
  }

  /** One PatchOp request with these operations (attribute replaces; never members). */
  async patchGroup(id: string, operations: PatchOperation[]): Promise<void> {
    this.#groups.invalidate(id);
    await this.#patchGroupRequest(`/Groups/${encodeURIComponent(id)}`, { schemas: [PATCH_OP_SCHEMA], Operations: operations });
  }

  /**
   * Chunks go out one after another, never in parallel: many SPs (scimmy among them) apply a
   * PATCH as read-modify-write, so concurrent PATCHes on one group lose members.
   *
   * An SP that answers a filtered removal with 501 gets removals as a value array from then on
   * (see RemovalForm); the chunk is sent again in that form (its adds too: adding a member
   * already there changes nothing).
   */
  async patchGroupMembers(id: string, changes: MemberChanges): Promise<void> {
    this.#groups.invalidate(id);
    const path = `/Groups/${encodeURIComponent(id)}`;
    for (const chunk of memberChunks(changes)) {
      try {
        await this.#patchGroupRequest(path, memberPatchRequest(chunk, this.#removal));
      } catch (err) {
        if (!(this.#removal === "filter" && chunk.remove.length > 0 && err instanceof ScimError && err.status === 501)) throw err;
        this.#removal = "values";
        await this.#patchGroupRequest(path, memberPatchRequest(chunk, this.#removal));
      }
    }
  }

  /** A PATCH of a group, answered without its members: an SP that answers with the whole resource (RFC 7644 §3.5.2) would send every member back each time. */
  async #patchGroupRequest(path: string, body: unknown): Promise<void> {
    await this.#lean((lean) => this.#http.request("PATCH", lean ? `${path}?excludedAttributes=members` : path, body));
  }

  /**
   * A request sent with `excludedAttributes`, which every SP must support (RFC 7644 §3.4.2.5)
   * and some may refuse: one that answers 400 is asked again without it, and once that works,
   * never with it again. Both are safe to repeat (a list read, a PATCH naming its members). A 400
   * after an attempt that may have been applied is the SP judging that write, not the
   * parameter: it goes to the caller as it is, to be read back (group-members.ts).
   */
  async #lean<T>(send: (lean: boolean) => Promise<T>): Promise<T> {
    if (!this.#leanAnswers) return send(false);
    try {
      return await send(true);
    } catch (err) {
      if (!(err instanceof ScimError && err.status === 400 && !err.afterUncertainAttempt)) throw err;
      const answer = await send(false);
      this.#leanAnswers = false;
      return answer;
    }
  }

  /** True once this SP has been sent removals as a value array: their outcome is to be read back. */
  removesMembersByValue(): boolean {
    return this.#removal === "values";
  }

  async #createResolving<T extends { id?: string }>(path: string, body: unknown, lookup: () => Promise<T | null>): Promise<Created<T>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return { resource: (await this.#http.request("POST", path, body, { requireId: true })) as T & { id: string }, recovered: false };
      } catch (err) {
        if (!(err instanceof ScimError && err.outcomeUnknown)) throw err;
        const wait = err.retryAfterMs ?? this.#http.backoff(attempt);
        if (wait > MAX_RETRY_AFTER_MS) throw err;
        await this.#http.pause(wait, "POST", path);
        const found = await lookup();
        if (found && typeof found.id === "string") return { resource: found as T & { id: string }, recovered: true };
        if (attempt >= this.#http.maxRetries) throw err;
      }
    }
  }

  /** At most one match is ours; two mean a duplicate already exists, and picking one would be a guess. */
  async #single<T extends { id?: string }>(kind: string, key: string, matches: Promise<T[]>): Promise<T | null> {
    const found = await matches;
    if (found.length > 1) {
      throw new Error(
        `the SCIM service holds ${found.length} ${kind}s with externalId "${key}" (ids ${found.map((f) => f.id).join(", ")}); ` +
          `remove the duplicates in the directory, keeping one, then run again`,
      );
    }
    return found[0] ?? null;
  }

  async #getOrNull(path: string): Promise<unknown> {
    try {
      return await this.#http.request("GET", path);
    } catch (err) {
      if (isResourceNotFound(err)) return null;
      throw err;
    }
  }

  async #deleteIfPresent(path: string): Promise<void> {
    try {
      await this.#http.request("DELETE", path);
    } catch (err) {
      // Already gone is what we wanted; it is also what a retried DELETE sees when the first
      // attempt succeeded but its response was lost.
      if (!isResourceNotFound(err)) throw err;
    }
  }

  /**
   * `attribute eq value`, paged. An SP without filtering (per its ServiceProviderConfig), or
   * one that refuses this filter (400 invalidFilter, or 501 for a filtering it announced but
   * does not do), is searched by listing; callers match exactly.
   */
  async #search<T extends { id?: unknown }>(path: string, attribute: string, value: string): Promise<T[]> {
    const capabilities = await this.capabilities();
    if (capabilities.filter) {
      try {
        return await listAll<T>(this.#http, path, capabilities, { filter: eqFilter(attribute, value) });
      } catch (err) {
        if (!(err instanceof ScimError && (err.status === 400 || err.status === 501))) throw err;
      }
    }
    return listAll<T>(this.#http, path, capabilities);
  }
}

function sameText(a: unknown, b: string): boolean {
  return typeof a === "string" && a.toLowerCase() === b.toLowerCase();
}
