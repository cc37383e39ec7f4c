import type { AdoptionPlan } from "../model/adoption.js";

/**
 * The import IDs of the accounts and groups one target's component adopts this run, by
 * `account:<key>` / `group:<key>`: given as each resource's `import` option, the engine reads
 * the existing object into the state and then updates it to the declared inputs in the same
 * deployment (Pulumi ≥ 3.174; a change that would replace it fails the update instead). An
 * adoption without an import ID is a bug upstream (the target's adoption facts give every one),
 * so it throws rather than creating a duplicate.
 */
export function adoptionImports(adoption: AdoptionPlan | undefined, target: string): (kind: "account" | "group", key: string) => { import?: string } {
  const ids = new Map<string, string>();
  for (const a of adoption?.adoptions ?? []) {
    if (a.target !== target) continue;
    if (!a.importId) throw new Error(`${target}: the adoption of ${a.kind} ${a.name} (id ${a.id}) as ${a.key} has no import ID; the target's adoption facts must give one`);
    ids.set(`${a.kind}:${a.key}`, a.importId);
  }
  return (kind, key) => {
    const id = ids.get(`${kind}:${key}`);
    return id === undefined ? {} : { import: id };
  };
}
