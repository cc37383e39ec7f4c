import type { OktaTargetSettings } from "./settings.js";

/** How the provider will authenticate, per terraform-provider-okta's docs/index.md. */
export type OktaAuthMode = "api-token" | "oauth-private-key" | "access-token";

/** The OAuth scopes each part of the target needs (Okta management API scopes). */
export const OKTA_SCOPES = {
  users: ["okta.users.read", "okta.users.manage"],
  groups: ["okta.groups.read", "okta.groups.manage"],
  adminRoles: ["okta.roles.read", "okta.roles.manage"],
} as const;

export type OktaCredentialCheck =
  | { ok: true; mode: OktaAuthMode; orgName: string; baseUrl: string }
  | { ok: false; problems: string[] };

const OAUTH_VARS = ["OKTA_API_CLIENT_ID", "OKTA_API_PRIVATE_KEY", "OKTA_API_SCOPES"] as const;

/**
 * Whether the environment lets the Okta provider authenticate, checked before the engine
 * starts so a missing variable is a clear message instead of a provider error mid-preview.
 * Pure: the caller passes the environment. Credentials come only from these variables —
 * never from files: a private key given as a path (which the provider would read) is refused.
 * `needsAdminRoles`: the catalog declares admin roles, so OAuth needs okta.roles.* too.
 */
export function checkOktaCredentials(
  env: Readonly<Record<string, string | undefined>>,
  settings: OktaTargetSettings,
  needsAdminRoles: boolean,
): OktaCredentialCheck {
  const set = (name: string) => (env[name] ?? "").trim() !== "";
  const problems: string[] = [];

  const orgName = settings.orgName ?? env.OKTA_ORG_NAME?.trim();
  if (!orgName) problems.push("set OKTA_ORG_NAME (the org's subdomain, e.g. dev-123456) or orgName under rolecall:targets.okta in the stack file");
  const baseUrl = settings.baseUrl ?? (env.OKTA_BASE_URL?.trim() || "okta.com");

  const modes: OktaAuthMode[] = [];
  if (set("OKTA_API_TOKEN")) modes.push("api-token");
  if (OAUTH_VARS.some(set)) modes.push("oauth-private-key");
  if (set("OKTA_ACCESS_TOKEN")) modes.push("access-token");

  if (modes.length === 0) {
    problems.push(
      "set Okta credentials: OKTA_API_TOKEN (an API token), or OKTA_API_CLIENT_ID, OKTA_API_PRIVATE_KEY and OKTA_API_SCOPES (an OAuth service app; OKTA_API_PRIVATE_KEY_ID when the app has several keys)",
    );
  } else if (modes.length > 1) {
    problems.push(`use one kind of Okta credential, not ${modes.join(" and ")}: the provider refuses OKTA_API_TOKEN together with OAuth variables or OKTA_ACCESS_TOKEN`);
  } else if (modes[0] === "oauth-private-key") {
    const missing = OAUTH_VARS.filter((name) => !set(name));
    if (missing.length > 0) problems.push(`the OAuth service app also needs ${missing.join(", ")}`);
    const key = env.OKTA_API_PRIVATE_KEY?.trim() ?? "";
    if (key && !key.startsWith("-----BEGIN")) {
      problems.push("OKTA_API_PRIVATE_KEY must hold the PEM key itself (-----BEGIN PRIVATE KEY-----…), not a path: rolecall never reads credentials from files");
    }
    if (set("OKTA_API_SCOPES")) {
      const granted = new Set(env.OKTA_API_SCOPES!.split(/[,\s]+/).filter(Boolean));
      const needed = [...OKTA_SCOPES.users, ...OKTA_SCOPES.groups, ...(needsAdminRoles ? OKTA_SCOPES.adminRoles : [])];
      const absent = needed.filter((s) => !granted.has(s));
      if (absent.length > 0) problems.push(`OKTA_API_SCOPES lacks ${absent.join(", ")} (comma-separated; grant them to the service app too)`);
    }
  }

  if (problems.length > 0 || !orgName) return { ok: false, problems };
  return { ok: true, mode: modes[0]!, orgName, baseUrl };
}
