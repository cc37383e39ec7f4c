import type { LiveAccount, LiveDirectory, LiveItem } from "../../model/inventory.js";
import type { OktaTargetSettings } from "./settings.js";
import { EnvironmentError } from "../../engine/errors.js";
import { arrayOf, jsonGetter, LiveReadError, type JsonGetter, type LiveHttpOptions } from "../live-http.js";
import { OKTA_RATE_LIMITS } from "./rate-limits.js";
import { OKTA_READ_HINT, oktaAuthorization } from "./read-auth.js";

export interface OktaReadOptions extends LiveHttpOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** The org's address, for tests against a local server; by default https://<orgName>.<baseUrl>. */
  orgUrl?: string;
}

/**
 * Okta statuses in which nobody can sign in with the account: STAGED (never activated, no
 * credentials), SUSPENDED and DEPROVISIONED. Every other status counts as active — PROVISIONED
 * (its activation link still lets someone in), RECOVERY, PASSWORD_EXPIRED, LOCKED_OUT (an
 * unlock away, sessions and tokens kept) — and so does a status Okta adds later: the offboarding
 * proof must never take an account it does not understand for a disabled one.
 */
const INACTIVE_STATUSES = new Set(["STAGED", "SUSPENDED", "DEPROVISIONED"]);

const USERS_PAGE = 200;
const GROUPS_PAGE = 1000;
const ASSIGNEES_PAGE = 100;

/**
 * Every user, group and admin-role holder of an Okta org, over the Management API, each
 * listing paged to its end by the `Link: rel="next"` header (or `_links.next` where the API
 * pages in the body). What it reads and why:
 * - users twice: the plain listing leaves DEPROVISIONED users out, and a deactivated account
 *   still exists (a leaver's "disabled, not deleted" state), so they are listed by search too;
 * - groups of type OKTA_GROUP only, the type rolecall creates: APP_GROUP groups are imported
 *   from an app or directory (AD, Workday…) whose memberships are mastered there, and the one
 *   BUILT_IN group, Everyone, holds every user by definition; neither can hold a membership
 *   rolecall could declare or remove;
 * - admin roles from the IAM assignee listing (only the users holding any role) and then each
 *   of those users' roles: a few requests per administrator, instead of one per user of the org.
 * Any failure throws: a partial read is never returned.
 */
export async function readOktaInventory(settings: OktaTargetSettings, options: OktaReadOptions = {}): Promise<LiveDirectory> {
  const env = options.env ?? process.env;
  const orgUrl = options.orgUrl ?? orgUrlOf(settings, env);
  const authorization = await oktaAuthorization(orgUrl, env, options.fetch);
  const pace = oktaPace(settings.maxApiCapacity ?? OKTA_RATE_LIMITS.maxApiCapacity);
  const get = jsonGetter("okta", new URL(orgUrl).origin, () => ({ authorization }), OKTA_READ_HINT, { pace, ...options });
  const url = (path: string, query: Record<string, string>) => {
    const u = new URL(path, orgUrl);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    return u;
  };

  const accounts = new Map<string, LiveAccount>();
  const listings: Record<string, string>[] = [{ limit: String(USERS_PAGE) }, { search: 'status eq "DEPROVISIONED"', limit: String(USERS_PAGE) }];
  for (const query of listings) {
    for await (const page of pages(get, url("/api/v1/users", query), "users")) for (const user of page) accounts.set(...account(user));
  }

  const items: LiveItem[] = [];
  for await (const page of pages(get, url("/api/v1/groups", { filter: 'type eq "OKTA_GROUP"', limit: String(GROUPS_PAGE) }), "groups")) {
    for (const raw of page) {
      const group = raw as { id?: unknown; type?: unknown; profile?: { name?: unknown } };
      if (typeof group.id !== "string" || typeof group.profile?.name !== "string") throw shapeError("a group without an id or a name");
      if (group.type !== "OKTA_GROUP") continue;
      const members: string[] = [];
      for await (const users of pages(get, url(`/api/v1/groups/${encodeURIComponent(group.id)}/users`, { limit: String(GROUPS_PAGE) }), `the members of group ${group.profile.name}`)) {
        for (const user of users) members.push(idOf(user, `a member of group ${group.profile.name}`));
      }
      items.push({ kind: "group", id: group.id, displayName: group.profile.name, members });
    }
  }

  const roles = new Map<string, LiveItem>();
  for await (const page of pages(get, url("/api/v1/iam/assignees/users", { limit: String(ASSIGNEES_PAGE) }), "the users holding admin roles", "value")) {
    for (const assignee of page) {
      const userId = idOf(assignee, "a user holding an admin role");
      const { body } = await get(url(`/api/v1/users/${encodeURIComponent(userId)}/roles`, {}), `the admin roles of user ${userId}`);
      for (const raw of arrayOf(body, "okta", `the admin roles of user ${userId}`, OKTA_READ_HINT)) {
        const role = raw as { type?: unknown; label?: unknown };
        if (typeof role.type !== "string") throw shapeError(`an admin role of user ${userId} without a type`);
        // Standard roles are known by their type (what the catalog's adminRoles name); custom roles by their label.
        const key = role.type === "CUSTOM" && typeof role.label === "string" ? `CUSTOM:${role.label}` : role.type;
        const item = roles.get(key) ?? roles.set(key, { kind: "adminRole", id: key, displayName: key, members: [] }).get(key)!;
        if (!item.members.includes(userId)) item.members.push(userId);
      }
    }
  }
  return { accounts: [...accounts.values()], items: [...items, ...[...roles.values()].sort((a, b) => (a.id < b.id ? -1 : 1))] };
}

/**
 * Okta limits each endpoint per minute and per org, shared with every other integration. Once
 * an answer shows this read has used its share (`maxApiCapacity`, as for the provider) of that
 * endpoint's bucket, the read waits for the bucket's reset instead of running it dry.
 */
export function oktaPace(capacityPercent: number, now: () => number = Date.now): (headers: Headers) => number {
  return (headers) => {
    const limit = Number(headers.get("x-rate-limit-limit"));
    const remaining = Number(headers.get("x-rate-limit-remaining"));
    const reset = Number(headers.get("x-rate-limit-reset"));
    if (!(limit > 0) || !headers.has("x-rate-limit-remaining") || !Number.isFinite(remaining) || !Number.isFinite(reset)) return 0;
    if (remaining > limit * (1 - capacityPercent / 100)) return 0;
    return Math.max(0, reset * 1000 - now() + 1000);
  };
}

function orgUrlOf(settings: OktaTargetSettings, env: Readonly<Record<string, string | undefined>>): string {
  const orgName = settings.orgName ?? env.OKTA_ORG_NAME?.trim();
  if (!orgName) throw new EnvironmentError("the Okta live read does not know the org", "set OKTA_ORG_NAME or orgName under rolecall:targets.okta in the stack file");
  return `https://${orgName}.${settings.baseUrl ?? (env.OKTA_BASE_URL?.trim() || "okta.com")}`;
}

/** One listing, page by page: each page's array (or its `field`), then the next link until there is none. */
async function* pages(get: JsonGetter, first: URL, what: string, field?: string): AsyncGenerator<unknown[]> {
  let next: URL | undefined = first;
  let previous = "";
  while (next) {
    if (next.href === previous) throw new LiveReadError(`okta: listing ${what} returned the same next page twice`, OKTA_READ_HINT);
    previous = next.href;
    const { body, headers }: { body: unknown; headers: Headers } = await get(next, what);
    yield arrayOf(field ? (body as Record<string, unknown> | null)?.[field] : body, "okta", what, OKTA_READ_HINT);
    const href = nextLink(headers.get("link")) ?? (field ? bodyNext(body) : undefined);
    next = href ? new URL(href, first) : undefined;
  }
}

/** The `rel="next"` target of an RFC 8288 Link header. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    const rel = match ? /;\s*rel\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(match[2]!) : null;
    if (match && rel && (rel[1] ?? rel[2]!).toLowerCase().split(/\s+/).includes("next")) return match[1];
  }
  return undefined;
}

const bodyNext = (body: unknown): string | undefined => {
  const href = (body as { _links?: { next?: { href?: unknown } } } | null)?._links?.next?.href;
  return typeof href === "string" ? href : undefined;
};

function account(raw: unknown): [string, LiveAccount] {
  const user = raw as { id?: unknown; status?: unknown; profile?: Record<string, unknown> };
  const profile = user.profile ?? {};
  if (typeof user.id !== "string" || typeof profile.login !== "string") throw shapeError("a user without an id or a login");
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const externalId = text(profile.employeeNumber);
  const displayName = text(profile.displayName);
  return [
    user.id,
    {
      id: user.id,
      userName: profile.login,
      // rolecall writes the worker ID into employeeNumber (convert.ts).
      ...(externalId ? { externalId } : {}),
      emails: [text(profile.email), text(profile.secondEmail)].filter((e): e is string => e !== undefined),
      active: !(typeof user.status === "string" && INACTIVE_STATUSES.has(user.status)),
      ...(displayName ? { displayName } : {}),
    },
  ];
}

function idOf(raw: unknown, what: string): string {
  const id = (raw as { id?: unknown } | null)?.id;
  if (typeof id !== "string") throw shapeError(`${what} without an id`);
  return id;
}

const shapeError = (what: string) => new LiveReadError(`okta: the API answered ${what}; nothing was read, so nothing is reported as missing`, OKTA_READ_HINT);
