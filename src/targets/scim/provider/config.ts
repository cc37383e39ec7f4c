import type { CheckFailure } from "./check.js";
import { diffProperties, type PropertyDiffs } from "./diff.js";
import { isUnknown, type Value, type ValueMap } from "./values.js";

export interface ProviderConfig {
  endpoint: string;
  token: string;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Where the provider takes its token when its configuration has none. rolecall hands the token
 * over this way (src/targets/scim/token-handoff.ts): a provider's configuration is kept in the
 * stack's state, and whoever can decrypt the state — the plan job, which runs a pull request's
 * code — would read the write token there.
 */
export const TOKEN_ENV = "ROLECALL_SCIM_PROVIDER_TOKEN";

/** Inputs are the unwrapped values; the caller returns the originals so the token stays secret in state. */
export function checkConfig(news: ValueMap, env: NodeJS.ProcessEnv = process.env): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const endpoint = news["endpoint"];
  if (!isUnknown(endpoint ?? null)) {
    const reason = endpointProblem(endpoint);
    if (reason) failures.push({ property: "endpoint", reason });
  }
  const token = news["token"] ?? (env[TOKEN_ENV] || undefined);
  if (!isUnknown(token ?? null) && (typeof token !== "string" || token === "")) {
    failures.push({
      property: "token",
      reason: "is required: the SCIM bearer token (`pulumi config set --secret rolecall-scim:token …`)",
    });
  }
  return failures;
}

/**
 * Endpoint and token come from the args struct; the `variables` map (keys `<pkg>:config:<key>`)
 * is the older channel engines still fill, read only when args lack a key.
 */
export function readConfig(args: ValueMap, variables: ReadonlyMap<string, string>, env: NodeJS.ProcessEnv = process.env): ProviderConfig {
  const pick = (key: string): Value | undefined =>
    args[key] ?? [...variables].find(([name]) => name.endsWith(`:config:${key}`))?.[1];
  const config = { endpoint: pick("endpoint") ?? null, token: pick("token") ?? (env[TOKEN_ENV] || null) };
  const failures = checkConfig(config, env);
  if (failures.length > 0 || isUnknown(config.endpoint) || isUnknown(config.token)) {
    const why = failures.map((f) => `${f.property} ${f.reason}`).join("; ") || "endpoint or token is not known yet";
    throw new Error(`rolecall-scim provider configuration: ${why}`);
  }
  return config as ProviderConfig;
}

/** A new endpoint or token is an update of the provider, never a replace of every user and group. */
export function diffConfig(olds: ValueMap, news: ValueMap): PropertyDiffs {
  return diffProperties(olds, news, { ignore: ["version"] });
}

function endpointProblem(endpoint: Value | undefined): string | undefined {
  if (typeof endpoint !== "string" || endpoint === "") {
    return "is required: the SCIM base URL, e.g. https://example.com/scim/v2 (`pulumi config set rolecall-scim:endpoint …`)";
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `"${endpoint}" is not an absolute URL`;
  }
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && LOOPBACK.has(url.hostname)) return undefined;
  if (url.protocol === "http:") return "must use https: plain http would send the bearer token in clear (http is accepted for loopback only)";
  return `must be an http(s) URL, not ${url.protocol}`;
}
