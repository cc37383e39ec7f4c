import type { Holding } from "./holdings.js";
import { renderHoldings, type AccessFormat, type ReviewHeader } from "./render.js";

export interface CampaignFile {
  /** File name inside the campaign folder. */
  name: string;
  reviewer: string;
  rows: number;
  content: string;
}

/** A worker ID as it may appear in a file name; anything else would let HR data pick the path. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The files of a review campaign, ready to send: one per role owner (every holding of the
 * roles they own) and one per manager (every holding of their direct reports; a service
 * account's owner certifies it like a manager). Each names its reviewer in every row.
 */
export function campaignFiles(rows: readonly Holding[], header: Omit<ReviewHeader, "reviewer" | "title">, format: AccessFormat): CampaignFile[] {
  const extension = format === "text" ? "txt" : format;
  const files: CampaignFile[] = [];
  const add = (kind: "owner" | "manager", by: (h: Holding) => string | undefined, title: (id: string) => string) => {
    const groups = new Map<string, Holding[]>();
    for (const h of rows) {
      const id = by(h);
      if (!id) continue;
      if (!SAFE_ID.test(id)) throw new Error(`worker ID '${id}' cannot be a file name`);
      groups.set(id, [...(groups.get(id) ?? []), h]);
    }
    for (const [id, group] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      files.push({ name: `${kind}-${id}.${extension}`, reviewer: id, rows: group.length, content: renderHoldings(group, { ...header, title: title(id), reviewer: id }, format) });
    }
  };
  add("owner", (h) => h.roleOwner || undefined, (id) => `Access review: roles owned by ${id}`);
  add("manager", (h) => h.manager, (id) => `Access review: direct reports of ${id}`);
  return files;
}
