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
}

/** A failed SCIM request. Built only from the method, path and response: never the token. */
export class ScimError extends Error {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly scimType: string | undefined;
  readonly detail: string;
  readonly structured: boolean;

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
  }
}

/** True when the service provider itself said the resource does not exist. */
export function isResourceNotFound(err: unknown): err is ScimError {
  return err instanceof ScimError && err.status === 404 && err.structured;
}
