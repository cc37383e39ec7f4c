import { setTimeout as delay } from "node:timers/promises";
import { eqFilter } from "./filter.js";
import { memberPatchRequests, type MemberChanges } from "./member-patch.js";
import { MAX_RETRY_AFTER_MS, backoffDelay, isTimeout, networkErrorCode, parseRetryAfter } from "./retry.js";
import { ScimError, isResourceNotFound } from "./scim-error.js";
import type { ScimGroup, ScimUser } from "./scim-types.js";

export interface ScimClientOptions {
  /** Base URL of the SCIM service, e.g. http://127.0.0.1:7643/scim/v2 */
  endpoint: string;
  token: string;
  fetch?: typeof fetch;
  /** Retries after the first attempt. */
  maxRetries?: number;
  baseDelayMs?: number;
  /** Per attempt, including reading the body. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Aborting it fails in-flight requests and pending retries at once (the engine's Cancel). */
  signal?: AbortSignal;
}

interface ListResponse<T> {
  Resources?: T[];
}

const MAX_DETAIL_CHARS = 500;

export class ScimClient {
  readonly #base: string;
  readonly #token: string;
  readonly #fetch: typeof fetch;
  readonly #maxRetries: number;
  readonly #baseDelayMs: number;
  readonly #timeoutMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #signal: AbortSignal | undefined;

  constructor(options: ScimClientOptions) {
    this.#base = options.endpoint.replace(/\/+$/, "");
    this.#token = options.token;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#maxRetries = options.maxRetries ?? 5;
    this.#baseDelayMs = options.baseDelayMs ?? 200;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#signal = options.signal;
    this.#sleep = options.sleep ?? ((ms) => delay(ms, undefined, { signal: this.#signal }));
  }

  async createUser(body: ScimUser): Promise<ScimUser> {
    return (await this.#request("POST", "/Users", body, { requireId: true })) as ScimUser;
  }

  async getUser(id: string): Promise<ScimUser | null> {
    return (await this.#getOrNull(`/Users/${encodeURIComponent(id)}`)) as ScimUser | null;
  }

  /** Undefined when the SP answers without a body. */
  async replaceUser(id: string, body: ScimUser): Promise<ScimUser | undefined> {
    return (await this.#request("PUT", `/Users/${encodeURIComponent(id)}`, body)) as ScimUser | undefined;
  }

  async deleteUser(id: string): Promise<void> {
    await this.#deleteIfPresent(`/Users/${encodeURIComponent(id)}`);
  }

  /** userName is caseExact:false (RFC 7643 §4.1.1), so a case variant is the same account. */
  async findUserByUserName(userName: string): Promise<ScimUser | null> {
    const found = await this.#search<ScimUser>("/Users", eqFilter("userName", userName));
    return found.find((u) => sameText(u.userName, userName)) ?? null;
  }

  async createGroup(body: ScimGroup): Promise<ScimGroup> {
    return (await this.#request("POST", "/Groups", body, { requireId: true })) as ScimGroup;
  }

  async getGroup(id: string): Promise<ScimGroup | null> {
    return (await this.#getOrNull(`/Groups/${encodeURIComponent(id)}`)) as ScimGroup | null;
  }

  /** Undefined when the SP answers without a body. */
  async replaceGroup(id: string, body: ScimGroup): Promise<ScimGroup | undefined> {
    return (await this.#request("PUT", `/Groups/${encodeURIComponent(id)}`, body)) as ScimGroup | undefined;
  }

  async deleteGroup(id: string): Promise<void> {
    await this.#deleteIfPresent(`/Groups/${encodeURIComponent(id)}`);
  }

  async findGroupByDisplayName(displayName: string): Promise<ScimGroup | null> {
    const found = await this.#search<ScimGroup>("/Groups", eqFilter("displayName", displayName));
    return found.find((g) => sameText(g.displayName, displayName)) ?? null;
  }

  /**
   * Chunks go out one after another, never in parallel: many SPs (scimmy among them) apply a
   * PATCH as read-modify-write, so concurrent PATCHes on one group lose members.
   */
  async patchGroupMembers(id: string, changes: MemberChanges): Promise<void> {
    for (const body of memberPatchRequests(changes)) {
      await this.#request("PATCH", `/Groups/${encodeURIComponent(id)}`, body);
    }
  }

  async #getOrNull(path: string): Promise<unknown> {
    try {
      return await this.#request("GET", path);
    } catch (err) {
      if (isResourceNotFound(err)) return null;
      throw err;
    }
  }

  async #deleteIfPresent(path: string): Promise<void> {
    try {
      await this.#request("DELETE", path);
    } catch (err) {
      // Already gone is what we wanted; it is also what a retried DELETE sees when the first
      // attempt succeeded but its response was lost.
      if (!isResourceNotFound(err)) throw err;
    }
  }

  async #search<T>(path: string, filter: string): Promise<T[]> {
    const list = (await this.#request("GET", `${path}?${new URLSearchParams({ filter })}`)) as ListResponse<T> | undefined;
    return list?.Resources ?? [];
  }

  /**
   * Retry policy. GET, PUT and DELETE are idempotent; our PATCHes only add or remove named
   * members, which is idempotent in effect. They are retried on 429, 5xx, timeouts and
   * network errors. POST is not idempotent: if the SP committed the create and the response
   * was lost, a retry makes a duplicate (SCIM does not require unique group displayNames) or a
   * 409. So POST is retried only when the SP cannot have acted on it: 429 and 503 (refused
   * before processing) or a refused connection (nothing was sent). A lost POST response
   * surfaces as an error; the next run's POST gets 409 and adopts the resource by externalId.
   */
  async #request(method: string, path: string, body?: unknown, { requireId = false } = {}): Promise<unknown> {
    const idempotent = method !== "POST";
    for (let attempt = 0; ; attempt++) {
      const retriesLeft = attempt < this.#maxRetries;
      let response: Response;
      let text: string;
      try {
        response = await this.#fetch(this.#base + path, {
          method,
          headers: this.#headers(body !== undefined),
          body: body === undefined ? null : JSON.stringify(body),
          signal: this.#attemptSignal(),
        });
        text = await response.text();
      } catch (err) {
        if (this.#signal?.aborted) throw new ScimError({ method, path, status: 0, detail: "cancelled" });
        const code = networkErrorCode(err);
        const detail = isTimeout(err) ? `timed out after ${this.#timeoutMs} ms` : `network error (${code ?? String(err)})`;
        if (!retriesLeft || !(idempotent || code === "ECONNREFUSED")) {
          throw new ScimError({ method, path, status: 0, detail: this.#scrub(detail) });
        }
        await this.#pause(backoffDelay(attempt, this.#baseDelayMs), method, path);
        continue;
      }

      if (response.ok) return parseSuccess(text, { method, path, status: response.status, requireId });

      const error = this.#errorFrom(response.status, text, method, path);
      const { status } = response;
      const retriable = status === 429 || status === 503 || (status >= 500 && idempotent);
      if (!retriable || !retriesLeft) throw error;
      const wait = parseRetryAfter(response.headers.get("retry-after")) ?? backoffDelay(attempt, this.#baseDelayMs);
      if (wait > MAX_RETRY_AFTER_MS) {
        const detail = `${error.detail} (server asked to retry after ${Math.ceil(wait / 1000)} s)`;
        throw new ScimError({ method, path, status, scimType: error.scimType, detail, structured: error.structured });
      }
      await this.#pause(wait, method, path);
    }
  }

  #headers(hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#token}`,
      accept: "application/scim+json, application/json",
    };
    if (hasBody) headers["content-type"] = "application/scim+json";
    return headers;
  }

  #attemptSignal(): AbortSignal {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    return this.#signal ? AbortSignal.any([timeout, this.#signal]) : timeout;
  }

  async #pause(ms: number, method: string, path: string): Promise<void> {
    try {
      await this.#sleep(ms);
    } catch (err) {
      if (this.#signal?.aborted) throw new ScimError({ method, path, status: 0, detail: "cancelled" });
      throw err;
    }
  }

  #errorFrom(status: number, text: string, method: string, path: string): ScimError {
    const json = parseJson(text);
    const structured = text.trim() === "" || json !== undefined;
    const scim = (typeof json === "object" && json !== null ? json : {}) as { scimType?: unknown; detail?: unknown };
    const detail =
      typeof scim.detail === "string" ? scim.detail : json === undefined ? text.trim().slice(0, MAX_DETAIL_CHARS) : "";
    return new ScimError({
      method,
      path,
      status,
      scimType: typeof scim.scimType === "string" ? scim.scimType : undefined,
      detail: this.#scrub(detail),
      structured,
    });
  }

  /** An SP that echoes the Authorization header into an error body must not leak it into logs. */
  #scrub(text: string): string {
    return this.#token === "" ? text : text.split(this.#token).join("[redacted]");
  }
}

function parseSuccess(text: string, context: { method: string; path: string; status: number; requireId: boolean }): unknown {
  const { requireId, ...where } = context;
  const json = text.trim() === "" ? undefined : parseJson(text);
  if (text.trim() !== "" && json === undefined) {
    // A 200 HTML page is what a wrong endpoint behind a web app returns.
    throw new ScimError({ ...where, detail: "response is not JSON; is the endpoint the SCIM base URL?" });
  }
  const id = (json as { id?: unknown } | undefined)?.id;
  if (requireId && (typeof id !== "string" || id === "")) {
    // A created resource we cannot address again would be orphaned: fail loudly instead.
    throw new ScimError({ ...where, detail: "the response carries no resource id" });
  }
  return json;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function sameText(a: unknown, b: string): boolean {
  return typeof a === "string" && a.toLowerCase() === b.toLowerCase();
}
