import { RELATED, render, type Site } from "./resources.js";
import { ScimError } from "./scim/errors.js";
import { leafOf, parseFilter, type Filter } from "./scim/filter.js";
import { compare, elements, matches } from "./scim/match.js";
import { isRecord, resolvePath, type AttrPath } from "./scim/paths.js";
import type { ResourceKind } from "./scim/schema.js";
import type { StoredResource } from "./store.js";

type Json = Record<string, unknown>;

/** Page size without `count`, and the most one page holds; advertised in ServiceProviderConfig. */
export const MAX_RESULTS = 1000;

export interface ListQuery {
  filter?: string | undefined;
  startIndex?: number | undefined;
  count?: number | undefined;
  sortBy?: string | undefined;
  sortOrder?: string | undefined;
}

export interface ListResult {
  totalResults: number;
  startIndex: number;
  resources: Json[];
}

/**
 * A list or search (RFC 7644 §3.4.2). Without a filter or sort a page is read straight from the
 * store. A filter whose `and` chain pins id, externalId, userName/displayName or a member's id
 * with `eq` is answered from that index and checked in full on the few candidates; any other
 * filter scans the resources once.
 */
export function listResources(site: Site, kind: ResourceKind, query: ListQuery, { related = true } = {}): ListResult {
  const startIndex = Math.max(1, query.startIndex ?? 1);
  const count = Math.min(Math.max(0, query.count ?? MAX_RESULTS), MAX_RESULTS);
  const filter = query.filter === undefined || query.filter.trim() === "" ? undefined : parseFilter(kind, query.filter);
  const sort = query.sortBy === undefined ? undefined : sortPath(kind, query.sortBy);
  if (!filter && !sort) {
    const page = site.store.page(kind.name, startIndex - 1, count).map((resource) => render(site, kind, resource, { related }));
    return { totalResults: site.store.count(kind.name), startIndex, resources: page };
  }
  // Members or groups are worked out for every candidate only when the filter or sort needs them; the page gets them after.
  const judged = (filter !== undefined && mentions(filter, RELATED[kind.name])) || (sort?.extension === undefined && sort?.attribute.name === RELATED[kind.name]);
  const candidates = (filter && indexed(site, kind, filter)) ?? site.store.scan(kind.name);
  const found: Json[] = [];
  for (const candidate of candidates) {
    const resource = render(site, kind, candidate, { related: judged });
    if (!filter || matches(filter, resource)) found.push(resource);
  }
  if (sort) sortResources(found, sort, String(query.sortOrder ?? "ascending").toLowerCase() === "descending");
  const page = found.slice(startIndex - 1, startIndex - 1 + count);
  return { totalResults: found.length, startIndex, resources: judged || !related ? page : page.map((resource) => rerender(site, kind, resource)) };
}

function rerender(site: Site, kind: ResourceKind, resource: Json): Json {
  const stored = site.store.get(kind.name, String(resource["id"]));
  return stored ? render(site, kind, stored) : resource;
}

function indexed(site: Site, kind: ResourceKind, filter: Filter): StoredResource[] | undefined {
  if (filter.kind === "and") return indexed(site, kind, filter.left) ?? indexed(site, kind, filter.right);
  const equality = equalityOn(filter);
  if (!equality) return undefined;
  const { path, value } = equality;
  const name = path.attribute.name;
  if (path.extension !== undefined) return undefined;
  if (name === "id" && !path.sub) return [site.store.get(kind.name, value)].filter((found) => found !== undefined);
  if (name === "externalId") return site.store.byExternalId(kind.name, value);
  if ((kind.name === "User" && name === "userName") || (kind.name === "Group" && name === "displayName")) {
    return [site.store.byName(kind.name, value.toLowerCase())].filter((found) => found !== undefined);
  }
  if (kind.name === "Group" && name === "members" && (path.sub === undefined || path.sub.name === "value")) {
    return site.store.groupsWithMember(value);
  }
  return undefined;
}

function equalityOn(filter: Filter): { path: AttrPath; value: string } | undefined {
  if (filter.kind === "compare" && filter.op === "eq" && typeof filter.value === "string") return { path: filter.path, value: filter.value };
  if (filter.kind === "valuePath" && filter.filter.kind === "compare" && filter.filter.op === "eq" && typeof filter.filter.value === "string") {
    return { path: { attribute: filter.path.attribute, sub: filter.filter.path.attribute }, value: filter.filter.value };
  }
  return undefined;
}

function mentions(filter: Filter, name: string): boolean {
  switch (filter.kind) {
    case "and":
    case "or":
      return mentions(filter.left, name) || mentions(filter.right, name);
    case "not":
      return mentions(filter.filter, name);
    default:
      return filter.path.extension === undefined && filter.path.attribute.name === name;
  }
}

function sortPath(kind: ResourceKind, sortBy: string): AttrPath {
  const path = resolvePath(kind, sortBy);
  if (!path?.attribute) throw new ScimError(400, "invalidValue", `cannot sort by "${sortBy}": ${kind.name} has no such attribute`);
  return path as AttrPath;
}

/** RFC 7644 §3.4.2.3: a multi-valued attribute sorts by its primary (or first) value; absent values last. */
function sortResources(resources: Json[], path: AttrPath, descending: boolean): void {
  const leaf = leafOf(path);
  const keyOf = (resource: Json): unknown => {
    const values = elements(resource, path);
    const chosen = values.find((value) => isRecord(value) && value["primary"] === true) ?? values[0];
    return leaf === path.attribute ? chosen : isRecord(chosen) ? chosen[leaf.name] : undefined;
  };
  const keyed = resources.map((resource) => ({ resource, key: keyOf(resource) }));
  keyed.sort((a, b) => {
    if (a.key === undefined || a.key === null) return b.key === undefined || b.key === null ? 0 : 1;
    if (b.key === undefined || b.key === null) return -1;
    const order = compare(leaf, a.key, b.key as string) ?? 0;
    return descending ? -order : order;
  });
  keyed.forEach((entry, index) => (resources[index] = entry.resource));
}
