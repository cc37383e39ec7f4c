import { createPrivateKey, randomUUID, sign } from "node:crypto";
import { EnvironmentError } from "../../engine/errors.js";
import { LiveReadError } from "../live-http.js";

/** The OAuth scopes the live read asks for: read-only, whatever the service app may also manage. */
export const OKTA_READ_SCOPES = ["okta.users.read", "okta.groups.read", "okta.roles.read"] as const;

export const OKTA_READ_HINT =
  "the read needs an API token of an admin who can see users, groups and admin roles (Read-Only Administrator is refused the role listings; Super Administrator sees them), or a service app granted okta.users.read okta.groups.read okta.roles.read; see src/targets/okta/README.md";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The Authorization header for the Management API, from the same variables the provider uses:
 * an API token (`SSWS`), an access token, or an OAuth service app's private key, exchanged
 * here for a read-only access token (client credentials with a private_key_jwt assertion,
 * RFC 7523). The connect check has already refused a missing or mixed set.
 */
export async function oktaAuthorization(orgUrl: string, env: Env, doFetch: typeof fetch = fetch): Promise<string> {
  const value = (name: string) => env[name]?.trim() || undefined;
  const apiToken = value("OKTA_API_TOKEN");
  if (apiToken) return `SSWS ${apiToken}`;
  const accessToken = value("OKTA_ACCESS_TOKEN");
  if (accessToken) return `Bearer ${accessToken}`;
  const clientId = value("OKTA_API_CLIENT_ID");
  const key = value("OKTA_API_PRIVATE_KEY");
  if (!clientId || !key) throw new EnvironmentError("the Okta live read has no credentials", "set OKTA_API_TOKEN, OKTA_ACCESS_TOKEN, or OKTA_API_CLIENT_ID with OKTA_API_PRIVATE_KEY (see src/targets/okta/README.md)");
  const granted = new Set((value("OKTA_API_SCOPES") ?? "").split(/[,\s]+/).filter(Boolean));
  const missing = OKTA_READ_SCOPES.filter((s) => !granted.has(s));
  if (missing.length > 0) throw new EnvironmentError(`the Okta live read needs ${missing.join(", ")} in OKTA_API_SCOPES`, "grant the scopes to the service app and add them to OKTA_API_SCOPES (comma-separated)");
  return `Bearer ${await clientCredentialsToken(orgUrl, clientId, key, value("OKTA_API_PRIVATE_KEY_ID"), doFetch)}`;
}

async function clientCredentialsToken(orgUrl: string, clientId: string, pem: string, keyId: string | undefined, doFetch: typeof fetch): Promise<string> {
  const tokenUrl = `${orgUrl}/oauth2/v1/token`;
  let privateKey;
  try {
    privateKey = createPrivateKey(pem);
  } catch (error) {
    throw new EnvironmentError(`OKTA_API_PRIVATE_KEY is not a readable PEM private key (${(error as Error).message})`, "paste the service app's private key, -----BEGIN PRIVATE KEY-----…, into OKTA_API_PRIVATE_KEY");
  }
  const alg = privateKey.asymmetricKeyType === "ec" ? "ES256" : "RS256";
  const now = Math.floor(Date.now() / 1000);
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${b64({ alg, typ: "JWT", ...(keyId ? { kid: keyId } : {}) })}.${b64({ iss: clientId, sub: clientId, aud: tokenUrl, iat: now, exp: now + 300, jti: randomUUID() })}`;
  const signature = sign("sha256", Buffer.from(input), alg === "ES256" ? { key: privateKey, dsaEncoding: "ieee-p1363" } : privateKey).toString("base64url");
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    scope: OKTA_READ_SCOPES.join(" "),
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: `${input}.${signature}`,
  });
  let response: Response;
  try {
    response = await doFetch(tokenUrl, { method: "POST", headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" }, body: form, redirect: "error" });
  } catch (error) {
    throw new LiveReadError(`okta: the token endpoint ${tokenUrl} did not answer`, OKTA_READ_HINT, error);
  }
  const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; error?: unknown; error_description?: unknown };
  if (!response.ok || typeof body.access_token !== "string") {
    const why = [body.error, body.error_description].filter((v) => typeof v === "string").join(": ").slice(0, 300);
    // A service app that requires DPoP answers invalid_dpop_proof: the read does not send DPoP proofs.
    throw new LiveReadError(`okta: the service app got no read token (HTTP ${response.status}${why ? `: ${why}` : ""})`, `${OKTA_READ_HINT}; a service app that requires DPoP is not supported for the read: use an API token`, { status: response.status });
  }
  return body.access_token;
}
