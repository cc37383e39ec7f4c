import type { AdoptionPlan } from "../model/adoption.js";

/** The `import` resource options of one target's adopted objects. */
export interface AdoptionImports {
  /** The option for the account or group declared as `key`: empty unless it is adopted this run. */
  (kind: "account" | "group", key: string): { import?: string };
  /** The option for `member`'s holding of item `item` of kind `kind` (a group membership, a role assignment): empty unless it is live already. */
  membership(kind: string, item: string, member: string): { import?: string };
}

/**
 * The import IDs of the accounts, groups and holdings one target's component adopts this
 * run: given as each resource's `import` option, the engine reads the existing object into the
 * state and then updates it to the declared inputs in the same deployment (Pulumi ≥ 3.174; a
 * change that would replace it fails the update instead). An adoption without an import ID is
 * a bug upstream (the target's adoption facts give every one), so it throws rather than
 * creating a duplicate.
 */
export function adoptionImports(adoption: AdoptionPlan | undefined, target: string): AdoptionImports {
  const ids = new Map<string, string>();
  for (const a of adoption?.adoptions ?? []) {
    if (a.target !== target) continue;
    if (!a.importId) throw new Error(`${target}: the adoption of ${a.kind} ${a.name} (id ${a.id}) as ${a.key} has no import ID; the target's adoption facts must give one`);
    ids.set(`${a.kind}:${a.key}`, a.importId);
  }
  for (const m of adoption?.memberships ?? []) if (m.target === target) ids.set(`${m.kind}:${m.item}/${m.member}`, m.importId);
  const option = (id: string | undefined) => (id === undefined ? {} : { import: id });
  return Object.assign((kind: "account" | "group", key: string) => option(ids.get(`${kind}:${key}`)), {
    membership: (kind: string, item: string, member: string) => option(ids.get(`${kind}:${item}/${member}`)),
  });
}
