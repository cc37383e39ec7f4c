import type { PersonChange } from "../model/plan.js";

/**
 * What a protected (break-glass) account must never suffer from a roster or policy change:
 * being deleted or replaced, disabled, or losing access. Creating it, renaming it or giving it
 * more is allowed — otherwise a protected person could never be provisioned at all.
 */
export function harmsProtected(change: Pick<PersonChange, "change" | "account" | "losses">): string[] {
  const harms: string[] = [];
  for (const a of change.account) if (a.op === "delete" || a.op === "replace") harms.push(`${a.target} account ${a.op === "delete" ? "deleted" : "replaced"}`);
  if (change.change === "disabled" || (change.change === "leaver" && !change.account.some((a) => a.op === "delete"))) harms.push("account disabled");
  if (change.losses.length > 0) harms.push(`loses ${change.losses.map((l) => `${l.target} ${l.kind} ${l.item}`).join(", ")}`);
  return harms;
}
