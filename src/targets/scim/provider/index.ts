// The public surface of the rolecall-scim provider package. The plugin entry point is
// main.ts; everything else here is for the scim target, the sandbox and tests.

/** HTTP client for any SCIM 2.0 service provider, with rate-limit-aware retries. */
export { ScimClient, type ScimClientOptions } from "./client.js";
/** A failed SCIM request (status, scimType, detail, method, path; never the token). */
export { ScimError, isResourceNotFound } from "./scim-error.js";
/** SCIM resource shapes as sent and received. */
export type { ScimGroup, ScimUser } from "./scim-types.js";
/** The flat resource inputs the scim target declares, and the type tokens to declare them with. */
export type { GroupProps, UserProps } from "./mapping.js";
export { GROUP_TYPE, PACKAGE_NAME, USER_TYPE, packageSchema } from "./schema.js";
/** Runs the gRPC ResourceProvider in-process (main.ts does this for the engine). */
export { startProviderServer, type ProviderServerOptions } from "./server.js";
