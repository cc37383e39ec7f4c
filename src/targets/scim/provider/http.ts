import { setTimeout as delay } from "node:timers/promises";
import { MAX_RETRY_AFTER_MS, backoffDelay, isTimeout, networkErrorCode, parseRetryAfter } from "./retry.js";
import { ScimError } from "./scim-error.js";

export interface ScimHttpOptions {
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

const MAX_DETAIL_CHARS = 500;

/**
 * One SCIM service over HTTP: bearer auth, bounded retries with jittered backoff that honour
 * Retry-After, and errors that carry the SP's own status, scimType and detail.
 *
 * GET, PUT, DELETE and our PATCHes (add or remove named members, replace named attributes)
 * are idempotent in effect, so they are retried on 429, 5xx, timeouts and network errors.
 * A POST is retried here only when the SP cannot have acted on it (429, a refused
 * connection). Any other POST failure may have created the resource: it is raised with
 * `outcomeUnknown`, and the caller looks the resource up before sending it again.
 */
export class ScimHttp {
  readonly #base: string;
  readonly #token: string;
  readonly #fetch: typeof fetch;
  readonly #maxRetries: number;
  readonly #baseDelayMs: number;
  readonly #timeoutMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #signal: AbortSignal | undefined;

  constructor(options: ScimHttpOptions) {
    this.#base = options.endpoint.replace(/\/+$/, "");
    this.#token = options.token;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#maxRetries = options.maxRetries ?? 5;
    this.#baseDelayMs = options.baseDelayMs ?? 200;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#signal = options.signal;
    this.#sleep = options.sleep ?? ((ms) => delay(ms, undefined, { signal: this.#signal }));
  }

  get maxRetries(): number {
    return this.#maxRetries;
  }

  async request(method: string, path: string, body?: unknown, { requireId = false } = {}): Promise<unknown> {
    const isPost = method === "POST";
    // Set once an attempt may have reached the SP and been applied without us seeing the answer.
    let uncertain = false;
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
        if (this.#signal?.aborted) throw new ScimError({ method, path, status: 0, detail: "cancelled", afterUncertainAttempt: uncertain });
        const code = networkErrorCode(err);
        const detail = this.#scrub(isTimeout(err) ? `timed out after ${this.#timeoutMs} ms` : `network error (${code ?? String(err)})`);
        const nothingSent = code === "ECONNREFUSED";
        if (isPost && !nothingSent) throw new ScimError({ method, path, status: 0, detail, outcomeUnknown: true });
        if (!retriesLeft) throw new ScimError({ method, path, status: 0, detail, afterUncertainAttempt: uncertain, outcomeUnknown: !nothingSent });
        uncertain ||= !nothingSent;
        await this.pause(this.backoff(attempt), method, path);
        continue;
      }

      if (response.ok) return parseSuccess(text, { method, path, status: response.status, requireId });

      const { status } = response;
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      const error = this.#errorFrom(status, text, method, path, uncertain, retryAfter);
      // Not Implemented is the SP's answer for good, not a passing failure: nothing was applied.
      if (status === 501) throw error;
      const unknownOutcome = status >= 500;
      if (isPost && unknownOutcome) throw withOutcomeUnknown(error);
      if (!(status === 429 || unknownOutcome) || !retriesLeft) throw unknownOutcome ? withOutcomeUnknown(error) : error;
      const wait = retryAfter ?? this.backoff(attempt);
      if (wait > MAX_RETRY_AFTER_MS) {
        throw new ScimError({ ...fieldsOf(error), detail: `${error.detail} (server asked to retry after ${Math.ceil(wait / 1000)} s)` });
      }
      uncertain ||= unknownOutcome;
      await this.pause(wait, method, path);
    }
  }

  /** Exponential backoff with full jitter for the given retry. */
  backoff(attempt: number): number {
    return backoffDelay(attempt, this.#baseDelayMs);
  }

  async pause(ms: number, method: string, path: string): Promise<void> {
    try {
      await this.#sleep(ms);
    } catch (err) {
      if (this.#signal?.aborted) throw new ScimError({ method, path, status: 0, detail: "cancelled" });
      throw err;
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

  #errorFrom(status: number, text: string, method: string, path: string, uncertain: boolean, retryAfterMs: number | undefined): ScimError {
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
      afterUncertainAttempt: uncertain,
      retryAfterMs,
    });
  }

  /** An SP that echoes the Authorization header into an error body must not leak it into logs. */
  #scrub(text: string): string {
    return this.#token === "" ? text : text.split(this.#token).join("[redacted]");
  }
}

function fieldsOf(error: ScimError) {
  const { method, path, status, scimType, detail, structured, afterUncertainAttempt, outcomeUnknown, retryAfterMs } = error;
  return { method, path, status, scimType, detail, structured, afterUncertainAttempt, outcomeUnknown, retryAfterMs };
}

function withOutcomeUnknown(error: ScimError): ScimError {
  return new ScimError({ ...fieldsOf(error), outcomeUnknown: true });
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
