import type { DesiredState, Holders } from "../model/desired-state.js";

/**
 * What a stack holds, in keys: every account and who holds each catalog item per target.
 * Declared as the stack's outputs, so the next plan can say — without asking any target —
 * what each person had before, and what they lose.
 */
export interface StackRecord {
  asOf: string;
  /** `userName` and `state` are absent in records written before they were kept. */
  accounts: Record<string, { displayName: string; email: string; kind: string; protected: boolean; userName?: string; state?: string }>;
  holdings: Record<string, Record<string, string[]>>;
}

export function stackRecord(desired: DesiredState, targets: readonly string[]): StackRecord {
  const accounts: StackRecord["accounts"] = {};
  const holdings: StackRecord["holdings"] = {};
  for (const target of targets) {
    const projection = desired.targets[target as keyof DesiredState["targets"]];
    if (!projection) continue;
    for (const u of projection.users) accounts[u.key] = { displayName: u.displayName, email: u.email, kind: u.kind, protected: u.protected, userName: u.userName, ...(u.state ? { state: u.state } : {}) };
    holdings[target] = Object.fromEntries(itemsOf(projection).map(([item, members]) => [item, members.map((m) => m.user)]));
  }
  return { asOf: desired.asOf, accounts, holdings };
}

/** Every holdable item of a projection as `kind:key`, with its holders. */
export function itemsOf(projection: NonNullable<DesiredState["targets"][keyof DesiredState["targets"]]>): [string, Holders][] {
  const items: [string, Holders][] = projection.groups.map((g) => [`group:${g.key}`, g.members]);
  if ("adminRoles" in projection) items.push(...projection.adminRoles.map((r): [string, Holders] => [`adminRole:${r.key}`, r.members]));
  if ("directoryRoles" in projection) items.push(...projection.directoryRoles.map((r): [string, Holders] => [`directoryRole:${r.key}`, r.members]));
  return items;
}
