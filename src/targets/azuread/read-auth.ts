import { EnvironmentError } from "../../engine/errors.js";
import { LiveReadError } from "../live-http.js";

type Env = Readonly<Record<string, string | undefined>>;

export const GRAPH_READ_HINT =
  "the app registration needs the Microsoft Graph application permissions User.Read.All, GroupMember.Read.All and RoleManagement.Read.Directory, with admin consent; see src/targets/azuread/README.md";

/** Where a national cloud signs in and serves Graph, by the provider's ARM_ENVIRONMENT names. */
const CLOUDS: Record<string, { login: string; graph: string }> = {
  global: { login: "https://login.microsoftonline.com", graph: "https://graph.microsoft.com" },
  public: { login: "https://login.microsoftonline.com", graph: "https://graph.microsoft.com" },
  usgovernment: { login: "https://login.microsoftonline.us", graph: "https://graph.microsoft.us" },
  usgovernmentl4: { login: "https://login.microsoftonline.us", graph: "https://graph.microsoft.us" },
  usgovernmentl5: { login: "https://login.microsoftonline.us", graph: "https://dod-graph.microsoft.us" },
  china: { login: "https://login.chinacloudapi.cn", graph: "https://microsoftgraph.chinacloudapi.cn" },
};

export function cloudOf(env: Env): { login: string; graph: string } {
  const name = (env.ARM_ENVIRONMENT?.trim() || "global").toLowerCase();
  const cloud = CLOUDS[name];
  if (!cloud) throw new EnvironmentError(`ARM_ENVIRONMENT=${name} is not a cloud the Entra ID read knows`, `use one of ${Object.keys(CLOUDS).join(", ")}, or unset it for the global cloud`);
  return cloud;
}

/**
 * How the read proves who it is to the token endpoint, from the variables the azuread provider
 * reads: a client secret, or a federated (OIDC) token — given, or asked of the CI's token
 * service (GitHub Actions' ACTIONS_ID_TOKEN_REQUEST_* or ARM_OIDC_REQUEST_*). Nothing is read from files.
 */
function clientProof(env: Env, doFetch: typeof fetch): { clientId: string; proof: () => Promise<Record<string, string>> } {
  const value = (name: string) => env[name]?.trim() || undefined;
  const clientId = value("ARM_CLIENT_ID");
  const secret = value("ARM_CLIENT_SECRET");
  const oidc = value("ARM_USE_OIDC") === "true";
  const missing = "set ARM_CLIENT_ID and ARM_CLIENT_SECRET (a service principal's client secret), or ARM_USE_OIDC=true with ARM_CLIENT_ID and ARM_OIDC_TOKEN (or, in CI, ARM_OIDC_REQUEST_TOKEN and ARM_OIDC_REQUEST_URL)";
  if (!clientId) throw new EnvironmentError("the Entra ID live read has no credentials: ARM_CLIENT_ID is not set", missing);
  if (!oidc) {
    if (!secret) throw new EnvironmentError("the Entra ID live read has no credentials: ARM_CLIENT_SECRET is not set", `${missing}; certificates and managed identities are not supported by the read`);
    return { clientId, proof: async () => ({ client_secret: secret }) };
  }
  const assertion = (token: string) => ({ client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: token });
  const given = value("ARM_OIDC_TOKEN");
  if (given) return { clientId, proof: async () => assertion(given) };
  const requestToken = value("ARM_OIDC_REQUEST_TOKEN") ?? value("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
  const requestUrl = value("ARM_OIDC_REQUEST_URL") ?? value("ACTIONS_ID_TOKEN_REQUEST_URL");
  if (!requestToken || !requestUrl) throw new EnvironmentError("the Entra ID live read has ARM_USE_OIDC=true but no OIDC token", missing);
  return {
    clientId,
    proof: async () => {
      const url = new URL(requestUrl);
      url.searchParams.set("audience", "api://AzureADTokenExchange");
      const response = await doFetch(url, { headers: { authorization: `Bearer ${requestToken}`, accept: "application/json" } }).catch((error: unknown) => {
        throw new LiveReadError("azuread: the CI's OIDC token service did not answer", GRAPH_READ_HINT, error);
      });
      const body = (await response.json().catch(() => ({}))) as { value?: unknown };
      if (!response.ok || typeof body.value !== "string") throw new LiveReadError(`azuread: the CI's OIDC token service gave no token (HTTP ${response.status})`, "the workflow needs permissions: id-token: write");
      return assertion(body.value);
    },
  };
}

/**
 * An app-only Graph access token (OAuth 2.0 client credentials, scope `<graph>/.default`),
 * asked for again shortly before it expires so a long read does not fail halfway.
 */
export function graphToken(tenantId: string, env: Env, options: { fetch?: typeof fetch; loginUrl?: string; graphUrl?: string } = {}): () => Promise<string> {
  const doFetch = options.fetch ?? fetch;
  const cloud = cloudOf(env);
  const login = options.loginUrl ?? cloud.login;
  const graph = options.graphUrl ?? cloud.graph;
  const { clientId, proof } = clientProof(env, doFetch);
  let cached: { token: string; renewAt: number } | undefined;
  return async () => {
    if (cached && Date.now() < cached.renewAt) return cached.token;
    const tokenUrl = `${login}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
    const form = new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, scope: `${graph}/.default`, ...(await proof()) });
    let response: Response;
    try {
      response = await doFetch(tokenUrl, { method: "POST", headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" }, body: form, redirect: "error" });
    } catch (error) {
      throw new LiveReadError(`azuread: the token endpoint ${login} did not answer`, GRAPH_READ_HINT, error);
    }
    const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown };
    if (!response.ok || typeof body.access_token !== "string") {
      // error_description starts with the AADSTS code that names the cause (a wrong secret, an unknown app).
      const why = [body.error, typeof body.error_description === "string" ? body.error_description.split("\n")[0] : undefined].filter((v) => typeof v === "string").join(": ").slice(0, 300);
      throw new LiveReadError(`azuread: no Graph token for tenant ${tenantId} (HTTP ${response.status}${why ? `: ${why}` : ""})`, "check ARM_CLIENT_ID and its secret or federated credential, and that the app is registered in that tenant", { status: response.status });
    }
    const lifetime = typeof body.expires_in === "number" ? body.expires_in : Number(body.expires_in ?? 3599);
    cached = { token: body.access_token, renewAt: Date.now() + Math.max(60, lifetime - 300) * 1000 };
    return cached.token;
  };
}
