import type { ScimHttp } from "./http.js";

interface ListResponse<T> {
  totalResults?: unknown;
  Resources?: T[];
}

/**
 * Every resource of a list endpoint (RFC 7644 §3.4.2.4), page by page. We ask for `pageSize`;
 * the SP may answer with fewer, so the next page starts after what it actually sent. Stops at
 * totalResults (or after the first page when the SP sends none), at an empty page, or — for an SP that ignores startIndex and sends the same
 * page again — fails instead of looping.
 */
export async function listAll<T extends { id?: unknown }>(http: ScimHttp, path: string, pageSize: number, filter?: string): Promise<T[]> {
  const all: T[] = [];
  const seen = new Set<unknown>();
  for (let startIndex = 1; ; ) {
    const query = new URLSearchParams({ ...(filter === undefined ? {} : { filter }), startIndex: String(startIndex), count: String(pageSize) });
    const page = (await http.request("GET", `${path}?${query}`)) as ListResponse<T> | undefined;
    const resources = Array.isArray(page?.Resources) ? page.Resources : [];
    if (resources.length === 0) return all;
    const fresh = resources.filter((r) => !seen.has(r.id));
    if (fresh.length === 0) {
      throw new Error(`the SCIM service answered GET ${path} at startIndex ${startIndex} with resources it had already sent: it does not page (RFC 7644 §3.4.2.4)`);
    }
    for (const r of fresh) seen.add(r.id);
    all.push(...fresh);
    startIndex += resources.length;
    // totalResults is REQUIRED; an SP that leaves it out is taking the list as one page.
    const total = page?.totalResults;
    if (typeof total !== "number" || startIndex > total) return all;
  }
}
