/**
 * What a service provider says it supports (RFC 7643 §5, /ServiceProviderConfig), reduced to
 * what changes how we talk to it.
 */
export interface Capabilities {
  /** PATCH supported: membership and renames go as PatchOps; otherwise as a PUT of the whole group. */
  patch: boolean;
  /** Filtering supported: lookups use `filter=`; otherwise they page through the list. */
  filter: boolean;
  /** The page size we ask for; the SP may still answer with fewer per page. */
  pageSize: number;
  /**
   * How lists are paged: by startIndex (RFC 7644 §3.4.2.4), or by cursor (RFC 9865) when the SP
   * announces cursors and refuses indexes.
   */
  paging: "index" | "cursor";
}

/** Our page size when the SP states no maximum; SPs cap `count` at their own limit anyway. */
export const DEFAULT_PAGE_SIZE = 100;
/** Never more per page than this, whatever maxResults says: one page must fit comfortably in memory. */
export const MAX_PAGE_SIZE = 1_000;
/**
 * Groups per page: a group carries its members, so a page of a thousand held every membership
 * of the company in one answer — 55 MB at 10,000 people, and past the longest string V8 can
 * hold (~512 MB) on the way to 100,000.
 */
export const GROUP_PAGE_SIZE = 20;

/**
 * An SP without a ServiceProviderConfig (RFC 7644 §4 makes it mandatory, but some omit it)
 * is assumed to have the capabilities RFC 7644 itself requires: filtering and paging are
 * optional, PATCH is optional too, but every SP we know of that omits the document supports
 * both; a PATCH refused with 501 is then a clear error naming the SP's answer.
 */
export const ASSUMED_CAPABILITIES: Capabilities = { patch: true, filter: true, pageSize: DEFAULT_PAGE_SIZE, paging: "index" };

export function capabilitiesFrom(config: unknown): Capabilities {
  const doc = (typeof config === "object" && config !== null ? config : {}) as {
    patch?: { supported?: unknown };
    filter?: { supported?: unknown; maxResults?: unknown };
    pagination?: { cursor?: unknown; index?: unknown; maxPageSize?: unknown };
  };
  // Both bound one response: maxResults (RFC 7643 §5) and RFC 9865's maxPageSize.
  const limits = [doc.filter?.maxResults, doc.pagination?.maxPageSize].filter(
    (n): n is number => typeof n === "number" && Number.isInteger(n) && n > 0,
  );
  const pageSize = limits.length > 0 ? Math.min(...limits, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  const byCursorOnly = supported(doc.pagination?.cursor, false) && !supported(doc.pagination?.index, true);
  return {
    patch: supported(doc.patch?.supported, ASSUMED_CAPABILITIES.patch),
    filter: supported(doc.filter?.supported, ASSUMED_CAPABILITIES.filter),
    pageSize,
    paging: byCursorOnly ? "cursor" : "index",
  };
}

/** Entra-style SPs send booleans as strings; an absent flag keeps the assumption. */
function supported(value: unknown, assumed: boolean): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  return assumed;
}
