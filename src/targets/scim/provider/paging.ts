import type { Capabilities } from "./capabilities.js";
import type { ScimHttp } from "./http.js";
import { ScimError } from "./scim-error.js";

interface ListResponse<T> {
  totalResults?: unknown;
  Resources?: T[];
  nextCursor?: unknown;
}

export type Paging = Pick<Capabilities, "pageSize" | "paging">;

/**
 * Every resource of a list endpoint, page by page, as the SP pages: by startIndex (RFC 7644
 * §3.4.2.4) or by cursor (RFC 9865). We ask for `pageSize`; the SP may answer with fewer, so
 * the next index starts after what it actually sent. Stops at totalResults (or after the first
 * page when the SP sends none), at the last cursor, at an empty page, or — for an SP that sends
 * the same page again — fails instead of looping. `excludedAttributes` (RFC 7644 §3.4.2.5) leaves
 * out what the caller never reads.
 */
export async function listAll<T extends { id?: unknown }>(http: ScimHttp, path: string, paging: Paging, { filter, excludedAttributes }: { filter?: string; excludedAttributes?: string } = {}): Promise<T[]> {
  const all: T[] = [];
  const seen = new Set<unknown>();
  let startIndex = 1;
  let cursor = "";
  for (;;) {
    const position: Record<string, string> = paging.paging === "cursor" ? { cursor } : { startIndex: String(startIndex) };
    const query = new URLSearchParams({ ...(filter === undefined ? {} : { filter }), ...(excludedAttributes === undefined ? {} : { excludedAttributes }), ...position, count: String(paging.pageSize) });
    const page = (await http.request("GET", `${path}?${query}`)) as ListResponse<T> | undefined;
    const resources = Array.isArray(page?.Resources) ? page.Resources : [];
    if (resources.length === 0) return all;
    const fresh = resources.filter((r) => !seen.has(r.id));
    if (fresh.length === 0) {
      const at = paging.paging === "cursor" ? `cursor "${cursor}"` : `startIndex ${startIndex}`;
      // A ScimError, as every other way a list can fail: the service's to fix, not rolecall's.
      throw new ScimError({ method: "GET", path, status: 200, structured: true, detail: `at ${at} it answered with resources it had already sent: it does not page (RFC 7644 §3.4.2.4)` });
    }
    for (const r of fresh) seen.add(r.id);
    all.push(...fresh);
    if (paging.paging === "cursor") {
      // The last page is the one without a nextCursor (RFC 9865 §2.2).
      if (typeof page?.nextCursor !== "string" || page.nextCursor === "") return all;
      cursor = page.nextCursor;
      continue;
    }
    startIndex += resources.length;
    // totalResults is REQUIRED; an SP that leaves it out is taking the list as one page.
    const total = page?.totalResults;
    if (typeof total !== "number" || startIndex > total) return all;
  }
}
