import { EnvironmentError } from "../engine/errors.js";

/**
 * A target's live read failed, or stopped before the last page. Thrown, never swallowed: a
 * partial listing returned as if whole would report "no orphans" about accounts nobody read.
 * An EnvironmentError, so the CLI exits 2 with the message and the hint, never a stack.
 */
export class LiveReadError extends EnvironmentError {
  override readonly cause: unknown;
  constructor(message: string, hint: string, cause?: unknown) {
    super(message, hint);
    this.name = "LiveReadError";
    this.cause = cause;
  }
}

export interface LiveHttpOptions {
  fetch?: typeof fetch;
  /** How to wait between tries (tests pass one that records and skips the wait). */
  sleep?: (ms: number) => Promise<void>;
  /** Tries after the first, for a throttled (429), unavailable (502/503/504) or unreachable answer. */
  maxRetries?: number;
  /** The longest single wait a Retry-After may ask for; a longer one fails the read instead of stalling it. */
  maxWaitMs?: number;
  /** How long to wait after a successful answer before the next request, from its rate-limit headers (0: none). */
  pace?: (headers: Headers) => number;
}

/** The largest page body read: a page of the largest `limit` each API allows is a few megabytes at most. */
export const MAX_PAGE_BYTES = 16 * 1024 * 1024;
const RETRIED = new Set([429, 502, 503, 504]);

/** One JSON GET against a target's API, retried as the API asks; throws a LiveReadError naming `what` on any other failure. */
export interface JsonGetter {
  (url: URL, what: string): Promise<{ body: unknown; headers: Headers }>;
}

/**
 * A JSON GET bound to one API origin and its credentials. Every URL it is handed — including
 * the next-page links the API returns — must be on that origin: a link elsewhere would carry
 * the credentials to another host, and fails the read.
 */
export function jsonGetter(target: string, origin: string, headers: () => Promise<Record<string, string>> | Record<string, string>, hint: string, options: LiveHttpOptions = {}): JsonGetter {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxRetries = options.maxRetries ?? 6;
  const maxWaitMs = options.maxWaitMs ?? 300_000;
  return async (url, what) => {
    if (url.origin !== origin) throw new LiveReadError(`${target}: reading ${what} was sent to ${url.origin}, not ${origin}; stopped so the credentials stay with ${origin}`, hint);
    for (let attempt = 0; ; attempt++) {
      const sent = { accept: "application/json", ...(await headers()) };
      let response: Response;
      try {
        response = await doFetch(url, { headers: sent, redirect: "error" });
      } catch (error) {
        if (attempt < maxRetries) {
          await sleep(backoffMs(attempt));
          continue;
        }
        throw new LiveReadError(`${target}: reading ${what} failed: ${url.origin} did not answer (${causeText(error)})`, hint, error);
      }
      if (response.ok) {
        const body = await boundedJson(response, target, what, hint);
        const wait = Math.min(options.pace?.(response.headers) ?? 0, maxWaitMs);
        if (wait > 0) await sleep(wait);
        return { body, headers: response.headers };
      }
      if (RETRIED.has(response.status) && attempt < maxRetries) {
        await response.body?.cancel();
        const wait = retryWaitMs(response.headers, attempt);
        if (wait > maxWaitMs) throw new LiveReadError(`${target}: reading ${what} was throttled (HTTP ${response.status}) for ${Math.ceil(wait / 1000)} s, longer than the ${maxWaitMs / 1000} s rolecall waits`, `try again later; ${hint}`);
        await sleep(wait);
        continue;
      }
      const detail = await errorDetail(response);
      const retried = RETRIED.has(response.status) ? ` after ${attempt + 1} tries` : "";
      throw new LiveReadError(`${target}: reading ${what} failed with HTTP ${response.status}${retried}${detail ? `: ${detail}` : ""}`, hint, { status: response.status, detail });
    }
  };
}

/** Retry-After (seconds or an HTTP date), else Okta's X-Rate-Limit-Reset (epoch seconds), else exponential backoff. */
export function retryWaitMs(headers: Headers, attempt: number, now = Date.now()): number {
  const after = headers.get("retry-after");
  if (after !== null) {
    const seconds = Number(after);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(after);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = Number(headers.get("x-rate-limit-reset"));
  if (headers.has("x-rate-limit-reset") && Number.isFinite(reset)) return Math.max(1000, reset * 1000 - now + 1000);
  return backoffMs(attempt);
}

const backoffMs = (attempt: number) => Math.min(60_000, 1000 * 2 ** attempt);

/** The body as JSON, read up to MAX_PAGE_BYTES: a larger page fails the read rather than filling memory. */
async function boundedJson(response: Response, target: string, what: string, hint: string): Promise<unknown> {
  const declared = Number(response.headers.get("content-length"));
  if (declared > MAX_PAGE_BYTES) {
    await response.body?.cancel();
    throw new LiveReadError(`${target}: a page of ${what} is ${declared} bytes, more than the ${MAX_PAGE_BYTES} rolecall reads`, hint);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > MAX_PAGE_BYTES) throw new LiveReadError(`${target}: a page of ${what} is more than the ${MAX_PAGE_BYTES} bytes rolecall reads`, hint);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof LiveReadError) throw error;
    throw new LiveReadError(`${target}: reading ${what} broke off mid-page (${causeText(error)})`, hint, error);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (error) {
    throw new LiveReadError(`${target}: a page of ${what} is not JSON`, hint, error);
  }
}

/** The API's own error summary (Okta's errorSummary, Graph's error.message), short: never the whole body. */
async function errorDetail(response: Response): Promise<string | undefined> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { errorSummary?: unknown; error?: { message?: unknown; code?: unknown } | unknown; error_description?: unknown };
    const err = typeof body.error === "object" && body.error !== null ? (body.error as { message?: unknown; code?: unknown }) : undefined;
    const found = [body.errorSummary, err?.code, err?.message, typeof body.error === "string" ? body.error : undefined, body.error_description].filter((v): v is string => typeof v === "string");
    return found.length > 0 ? found.join(": ").slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}

const causeText = (error: unknown): string => {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return cause ?? (error instanceof Error ? error.message : String(error));
};

/** A page's array, or a LiveReadError saying the answer is not the documented shape (a changed API must not read as empty). */
export function arrayOf(value: unknown, target: string, what: string, hint: string): unknown[] {
  if (!Array.isArray(value)) throw new LiveReadError(`${target}: the answer listing ${what} is not a list`, hint);
  return value;
}
