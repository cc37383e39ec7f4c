import type { AdoptionPlan } from "../model/adoption.js";
import type { InventoryDocument } from "../model/inventory.js";

const CLASSES = ["managed", "linked", "orphan", "disputed", "leaver-present"] as const;

/** The inventory for a terminal: per target the count of each class, then every account that is not managed and every holding nothing declares. */
export function renderInventoryText(doc: InventoryDocument, adoption?: AdoptionPlan): string {
  const lines: string[] = [`Inventory of stack ${doc.stack}, correlated with HR as of ${doc.asOf} (by ${doc.correlation.join(", then ")}):`];
  for (const t of doc.targets) {
    lines.push("", `${t.target} (read ${t.readAt}): ${CLASSES.map((c) => `${t.summary[c] ?? 0} ${c}`).join(", ")}`);
    for (const a of t.accounts.filter((x) => x.class !== "managed")) lines.push(`  ${a.class.padEnd(14)} ${a.userName}${a.identity ? ` → ${a.identity}` : ""}: ${a.reason}`);
    for (const u of t.unmanaged) lines.push(`  unmanaged      ${u.holder} holds ${u.kind} ${u.item}${u.inCatalog ? "" : " (not in the catalog)"}${u.through ? ` through group ${u.through}` : ""}: nothing declares it`);
  }
  for (const u of doc.unread) lines.push("", `${u.target}: not read — ${u.reason}`);
  if (adoption && (adoption.adoptions.length > 0 || adoption.orphans.length > 0)) {
    lines.push("", "The next apply would:");
    for (const a of adoption.adoptions) lines.push(`  adopt ${a.target} ${a.kind} ${a.name} (id ${a.id}) as ${a.key}, ${a.because}${a.changes.length ? `; sets ${a.changes.map((c) => c.field).join(", ")}` : ""}`);
    for (const o of adoption.orphans) lines.push(`  ${o.action === "report" ? "report" : o.action} orphan ${o.target} account ${o.userName} (id ${o.id})${o.action === "report" ? "" : " (policy.orphans)"}`);
  }
  return lines.join("\n");
}
