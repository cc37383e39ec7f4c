import type { ScimConnection } from "./index.js";
import { TOKEN_ENV } from "./provider/config.js";

/**
 * The token handed to the provider through the engine's environment rather than its
 * configuration, which the state keeps: the variables to set for the engine, and the
 * connection to declare. Inventory and proofs read with the token in-process, as before.
 */
export function tokenViaEnvironment(connection: ScimConnection): { env: Record<string, string>; connection: ScimConnection } {
  if (typeof connection.token !== "string") throw new Error("the SCIM token is not resolved to a string");
  return { env: { [TOKEN_ENV]: connection.token }, connection: { ...connection, tokenInEnvironment: true } };
}
