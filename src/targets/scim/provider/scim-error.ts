export interface ScimErrorInit {
  method: string;
  path: string;
  /** HTTP status; 0 when no response arrived (network error, timeout, cancellation). */
  status: number;
  scimType?: string | undefined;
  detail: string;
  /**
   * Whether the body was JSON or empty. An HTML or plain-text 404 comes from a proxy or a
   * router that does not know the path (a wrong endpoint), not from the SCIM resource
   * endpoint, and must not be read as "this user is gone".
   */
  structured?: boolean;
  /**
   * The request may have been applied although no success came back (a 5xx, a dropped
   * connection, a timeout after sending): the caller must look before repeating a create.
   */
  outcomeUnknown?: boolean;
  /** An earlier attempt of this request may have been applied, so this answer can be about our own write. */
  afterUncertainAttempt?: boolean;
  /** What the SP's Retry-After asked for, if it sent one. */
  retryAfterMs?: number | undefined;
}

/** A failed SCIM request. Built only from the method, path and response: never the token. */
export class ScimError extends Error {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly scimType: string | undefined;
  readonly detail: string;
  readonly structured: boolean;
  readonly outcomeUnknown: boolean;
  readonly afterUncertainAttempt: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(init: ScimErrorInit) {
    const what = init.status === 0 ? "no response" : `HTTP ${init.status}${init.scimType ? ` (${init.scimType})` : ""}`;
    super(`SCIM ${init.method} ${init.path} failed: ${what}${init.detail ? `: ${init.detail}` : ""}`);
    this.name = "ScimError";
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.scimType = init.scimType;
    this.detail = init.detail;
    this.structured = init.structured ?? false;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.afterUncertainAttempt = init.afterUncertainAttempt ?? false;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** True when the service provider itself said the resource does not exist. */
export function isResourceNotFound(err: unknown): err is ScimError {
  return err instanceof ScimError && err.status === 404 && err.structured;
}
