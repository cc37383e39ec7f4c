import { z } from "zod";
import { byString } from "../compile/order.js";
import { itemsOf } from "../compile/project.js";
import { targetNamed } from "../targets/registry.js";
import { DirectoryUserSchema, type DesiredState, type DirectoryUser, type Holders, type Person } from "../model/desired-state.js";
import { IdentityLedgerSchema, RoleGrantsSchema, AttributeValueSchema } from "../model/previous.js";

/**
 * What the leaver fast path needs of the stack's record: every account as it was declared
 * (all the fields a target is given), who held each item, and each item's own fields. Records
 * written before accounts kept every field do not parse, and the fast path refuses: it never
 * guesses a field it would then write back to a target. Records written before items kept
 * their fields do parse: those items are declared with today's catalog fields, so an edit to
 * one shows in the preview and refuses the run.
 */
export const AppliedRecordSchema = z.object({
  asOf: z.string(),
  accounts: z.record(z.string(), DirectoryUserSchema.omit({ key: true })),
  holdings: z.record(z.string(), z.record(z.string(), z.array(z.string()))),
  items: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))).optional(),
  identities: IdentityLedgerSchema.optional(),
  attributes: z.record(z.string(), z.record(z.string(), AttributeValueSchema)).optional(),
  roleGrants: RoleGrantsSchema.optional(),
});
export type AppliedRecord = z.infer<typeof AppliedRecordSchema>;

/** One person the fast path revokes access from, and what becomes of their account in each target. */
export interface Revocation {
  id: string;
  state: Person["state"] | "removed";
  reason: string;
  /** Per target where the account changes: deleted, or disabled. */
  accounts: Record<string, "deleted" | "disabled">;
  /** Per target, the items taken away (`kind:key`). */
  removed: Record<string, string[]>;
}

export interface FastPath {
  /** What the fast path declares: the last applied state with only the revocations made. */
  desired: DesiredState;
  revocations: Revocation[];
  /** Why the fast path cannot run at all (it would have to create or delete something else). */
  blockers: string[];
  /** Held items declared with today's catalog fields, because the record has none of theirs (`target kind:key`). */
  fromCatalog: string[];
}

/**
 * The revocation-only desired state: the last applied state (from the stack's record), with
 * the accounts and holdings of people who left, went on leave or dropped out of the export cut
 * down to what today's compile still gives them. Everything else — joiners, movers' gains and
 * losses, renames, service accounts, catalog edits (an item renamed or removed) — stays as it
 * was applied, for the next full run. The holdings of a revoked person only shrink and their
 * account only gets disabled or deleted: nothing here can give access.
 */
export function revocationsOnly(current: DesiredState, applied: AppliedRecord, targets: readonly string[]): FastPath {
  const people = new Map(current.people.map((p) => [p.id, p]));
  const revoked = new Map<string, Revocation>();
  for (const [id, account] of Object.entries(applied.accounts)) {
    if (account.kind !== "person") continue;
    const person = people.get(id);
    if (!person) revoked.set(id, { id, state: "removed", reason: "no longer in the HR export", accounts: {}, removed: {} });
    else if (person.state === "leave" || person.state === "leaver" || person.account !== "enabled") revoked.set(id, { id, state: person.state, reason: person.stateReason, accounts: {}, removed: {} });
  }

  const blockers: string[] = [];
  const fromCatalog: string[] = [];
  const projections: DesiredState["targets"] = {};
  for (const target of targets) {
    const now = current.targets[target as keyof DesiredState["targets"]];
    const held = applied.holdings[target];
    if (!now || !held) {
      if (now || held) blockers.push(`target ${target} is ${now ? "new since the last apply" : "no longer described by the catalog"}`);
      continue;
    }
    const nowUsers = new Map(now.users.map((u) => [u.key, u]));
    const users: DirectoryUser[] = [];
    for (const [key, was] of Object.entries(applied.accounts)) {
      const r = revoked.get(key);
      const is = nowUsers.get(key);
      if (!r) users.push({ key, ...was });
      else if (!is) r.accounts[target] = "deleted";
      else {
        // Only `active` and the lifecycle state move, and only towards less access.
        const active = was.active && is.active;
        users.push({ key, ...was, active, ...(is.state ? { state: is.state } : {}) });
        if (was.active && !active) r.accounts[target] = "disabled";
      }
    }
    users.sort(byString((u) => u.key));
    const declared = new Set(users.map((u) => u.key));

    const nowItems = new Map(itemsOf(now).map(([item, holders]) => [item, new Map(holders.map((h) => [h.user, h]))]));
    const recorded = applied.items?.[target] ?? {};
    for (const item of Object.keys(held)) if (!recorded[item] && !nowItems.has(item)) blockers.push(`${target} ${item} is no longer in the catalog`);
    const membersOf = (item: string): Holders => {
      // An item gone from today's catalog gives nobody anything today.
      const nowHolders = nowItems.get(item) ?? new Map<string, Holders[number]>();
      return (held[item] ?? [])
        .filter((user) => {
          const keep = declared.has(user) && (!revoked.has(user) || nowHolders.has(user));
          if (!keep && revoked.has(user)) (revoked.get(user)!.removed[target] ??= []).push(item);
          return keep;
        })
        .map((user) => ({ user, because: nowHolders.get(user)?.because ?? [] }));
    };
    const definition = targetNamed(target)!;
    const narrowed: Record<string, unknown> = { ...now, users };
    for (const { kind, field } of definition.held) {
      const today = new Map(((now as unknown as Record<string, { key: string }[]>)[field] ?? []).map((x) => [x.key, x]));
      const keys = Object.keys(held)
        .filter((item) => item.startsWith(`${kind}:`))
        .map((item) => item.slice(kind.length + 1))
        .sort();
      narrowed[field] = keys.flatMap((key) => {
        const item = `${kind}:${key}`;
        // As applied; a record without the item's fields falls back to today's catalog entry.
        const fields = recorded[item] ?? (today.has(key) ? withoutKeyAndMembers(today.get(key)!) : undefined);
        if (!fields) return [];
        if (!recorded[item]) fromCatalog.push(`${target} ${item}`);
        return [{ key, ...fields, members: membersOf(item) }];
      });
    }
    (projections as Record<string, unknown>)[target] = definition.withoutDangling(narrowed);
  }

  const applyPerson = (p: Person): Person => {
    const r = revoked.get(p.id);
    const was = applied.accounts[p.id];
    const attributes = applied.attributes?.[p.id];
    const { attributes: _now, ...rest } = p;
    const base = { ...rest, ...(attributes ? { attributes } : {}) };
    if (r) return base;
    // Not revoked: the person is declared as applied (a joiner not at all), so the guardrails
    // judge what this run declares rather than what the next full run will.
    if (!was) return { ...base, account: "absent" };
    return { ...base, ...(was.state ? { state: was.state } : {}), account: was.active ? "enabled" : "disabled" };
  };

  const desired: DesiredState = {
    ...current,
    people: current.people.map(applyPerson),
    targets: projections,
    roleGrants: applied.roleGrants ?? current.roleGrants,
    losses: current.losses.filter((l) => revoked.has(l.user)),
  };
  const revocations = [...revoked.values()]
    .map((r) => ({ ...r, removed: Object.fromEntries(Object.entries(r.removed).map(([t, items]) => [t, items.sort()])) }))
    .filter((r) => Object.keys(r.accounts).length > 0 || Object.keys(r.removed).length > 0)
    .sort(byString((r) => r.id));
  return { desired, revocations, blockers, fromCatalog };
}

function withoutKeyAndMembers(entry: { key: string }): Record<string, unknown> {
  const { key: _key, members: _members, ...fields } = entry as { key: string; members?: unknown } & Record<string, unknown>;
  return fields;
}
