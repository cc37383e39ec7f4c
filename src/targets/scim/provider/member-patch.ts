import { eqFilter } from "./filter.js";
import { PATCH_OP_SCHEMA, type PatchOperation, type PatchRequest } from "./scim-types.js";

/** Member changes per PATCH request: large enough to be quick, small enough for any SP's body limit. */
export const MEMBER_CHUNK_SIZE = 500;

export interface MemberChanges {
  add: readonly string[];
  remove: readonly string[];
}

/**
 * The PatchOp requests (RFC 7644 §3.5.2) that apply exactly these member changes, at most
 * `chunkSize` members each; none when there is nothing to change.
 *
 * Removals use one `members[value eq "…"]` op per member: the form every SP accepts. The
 * `path: members` + value array form is an Entra-ism others reject or read as "remove all".
 */
export function memberPatchRequests(changes: MemberChanges, chunkSize: number = MEMBER_CHUNK_SIZE): PatchRequest[] {
  const all = [
    ...changes.add.map((id) => ({ id, op: "add" as const })),
    ...changes.remove.map((id) => ({ id, op: "remove" as const })),
  ];
  const requests: PatchRequest[] = [];
  for (let start = 0; start < all.length; start += chunkSize) {
    const chunk = all.slice(start, start + chunkSize);
    const adds = chunk.filter((c) => c.op === "add").map((c) => ({ value: c.id }));
    const operations: PatchOperation[] = adds.length > 0 ? [{ op: "add", path: "members", value: adds }] : [];
    for (const c of chunk) {
      if (c.op === "remove") operations.push({ op: "remove", path: `members[${eqFilter("value", c.id)}]` });
    }
    requests.push({ schemas: [PATCH_OP_SCHEMA], Operations: operations });
  }
  return requests;
}
