import { eqFilter } from "./filter.js";
import { PATCH_OP_SCHEMA, type PatchOperation, type PatchRequest } from "./scim-types.js";

/** Member changes per PATCH request: large enough to be quick, small enough for any SP's body limit. */
export const MEMBER_CHUNK_SIZE = 500;

export interface MemberChanges {
  add: readonly string[];
  remove: readonly string[];
}

/**
 * How removals are written. `filter`: one `members[value eq "…"]` op per member, what RFC 7644
 * §3.5.2.2 defines. `values`: one `path: members` op with a value array, the form Entra ID
 * sends; an RFC-strict SP reads it as "remove all members", so it is used only with an SP that
 * refused the filter form as not implemented (501), and the result is read back.
 */
export type RemovalForm = "filter" | "values";

/** The changes in chunks of at most `chunkSize` members; none when there is nothing to change. */
export function memberChunks(changes: MemberChanges, chunkSize: number = MEMBER_CHUNK_SIZE): MemberChanges[] {
  const all = [
    ...changes.add.map((id) => ({ id, op: "add" as const })),
    ...changes.remove.map((id) => ({ id, op: "remove" as const })),
  ];
  const chunks: MemberChanges[] = [];
  for (let start = 0; start < all.length; start += chunkSize) {
    const chunk = all.slice(start, start + chunkSize);
    chunks.push({ add: chunk.filter((c) => c.op === "add").map((c) => c.id), remove: chunk.filter((c) => c.op === "remove").map((c) => c.id) });
  }
  return chunks;
}

/** The PatchOp request (RFC 7644 §3.5.2) that applies exactly these member changes. */
export function memberPatchRequest(changes: MemberChanges, removal: RemovalForm = "filter"): PatchRequest {
  const operations: PatchOperation[] = changes.add.length > 0 ? [{ op: "add", path: "members", value: changes.add.map((value) => ({ value })) }] : [];
  if (removal === "values" && changes.remove.length > 0) {
    operations.push({ op: "remove", path: "members", value: changes.remove.map((value) => ({ value })) });
  } else {
    for (const id of changes.remove) operations.push({ op: "remove", path: `members[${eqFilter("value", id)}]` });
  }
  return { schemas: [PATCH_OP_SCHEMA], Operations: operations };
}

/** The requests that apply these changes, at most `chunkSize` members each. */
export function memberPatchRequests(changes: MemberChanges, chunkSize: number = MEMBER_CHUNK_SIZE, removal: RemovalForm = "filter"): PatchRequest[] {
  return memberChunks(changes, chunkSize).map((chunk) => memberPatchRequest(chunk, removal));
}
