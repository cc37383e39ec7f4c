/**
 * Refresh reads served from one paged listing instead of one GET per resource: the first read
 * lists every resource of the type, later reads of the same run find theirs in the snapshot.
 * A write drops what it touched, so a read after our own write goes to the SP again; a
 * resource missing from the listing is fetched by id, so a listing that raced with someone
 * else's write never makes a live resource look deleted.
 */
export class ReadCache<T extends { id?: unknown }> {
  readonly #list: () => Promise<T[]>;
  #snapshot: Promise<Map<string, T>> | undefined;
  /** Set when the SP refused a plain listing (some only answer filtered queries). */
  #unlistable = false;
  /** Written by us since the snapshot was taken. */
  readonly #dirty = new Set<string>();

  constructor(list: () => Promise<T[]>) {
    this.#list = list;
  }

  /** The listed resource, or undefined when the caller must fetch it by id. */
  async find(id: string, usable: (resource: T) => boolean = () => true): Promise<T | undefined> {
    if (this.#unlistable || this.#dirty.has(id)) return undefined;
    const snapshot = (this.#snapshot ??= this.#load());
    let map: Map<string, T>;
    try {
      map = await snapshot;
    } catch (err) {
      if (this.#snapshot === snapshot) this.#snapshot = undefined;
      if (refusesListing(err)) {
        this.#unlistable = true;
        return undefined;
      }
      throw err;
    }
    const hit = this.#dirty.has(id) ? undefined : map.get(id);
    return hit !== undefined && usable(hit) ? hit : undefined;
  }

  /** After a write of `id`; without an id, after a write that may have changed any of them. */
  invalidate(id?: string): void {
    if (id === undefined) {
      this.#snapshot = undefined;
      this.#dirty.clear();
    } else {
      this.#dirty.add(id);
    }
  }

  async #load(): Promise<Map<string, T>> {
    const map = new Map<string, T>();
    for (const resource of await this.#list()) if (typeof resource.id === "string") map.set(resource.id, resource);
    return map;
  }
}

/** A 4xx (other than 429) to a plain list means "not like this", not "try later". */
function refusesListing(err: unknown): boolean {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === "number" && status >= 400 && status < 500 && status !== 429;
}
