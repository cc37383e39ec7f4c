import { itemsOf } from "../compile/project.js";
import type { DesiredState, DirectoryUser } from "../model/desired-state.js";
import { heldKinds } from "./registry.js";
import { RECORD_OUTPUT } from "../engine/state-sync.js";
import { PreviousRecordSchema, type AttributeValue, type IdentityLedger, type PreviousRecord, type RoleGrants } from "../model/previous.js";

export { itemsOf };

/**
 * What a stack holds, in keys: every account and who holds each catalog item per target.
 * Declared as the stack's outputs, so the next plan can say — without asking any target —
 * what each person had before, and what they lose.
 *
 * It also carries what the next compile needs from this one (src/model/previous.ts reads it
 * back): the identity ledger, which pins every worker ID's login and email — it lives here,
 * in the stack's state, because that is what a fresh clone or a new CI machine reaches with
 * the backend it already needs, and it is written by the very update that used it (see
 * src/compile/IDENTITIES.md) —, the attributes rules saw per declared person, and what each
 * role granted, so losses are explained against facts rather than guessed.
 */
export interface StackRecord {
  asOf: string;
  /** `userName` and `state` are absent in records written before they were kept; the other fields a DirectoryUser has, in records before the leaver fast path. */
  accounts: Record<string, { displayName: string; email: string; kind: string; protected: boolean; userName?: string; state?: string } & Partial<Omit<DirectoryUser, "key" | "kind" | "state">>>;
  holdings: Record<string, Record<string, string[]>>;
  /**
   * Per target, each held item's own fields as declared (`kind:key` → the projection entry
   * without `key` and `members`: a group's displayName, description…), so the leaver fast path
   * can declare an item exactly as applied and change only who holds it. Absent in records
   * written before they were kept.
   */
  items?: Record<string, Record<string, Record<string, unknown>>>;
  /** These three are absent in records written before they were kept. */
  identities?: IdentityLedger;
  attributes?: Record<string, Record<string, AttributeValue>>;
  roleGrants?: RoleGrants;
}

export function stackRecord(desired: DesiredState, targets: readonly string[]): StackRecord {
  const accounts: StackRecord["accounts"] = {};
  const holdings: StackRecord["holdings"] = {};
  const items: NonNullable<StackRecord["items"]> = {};
  for (const target of targets) {
    const projection = desired.targets[target as keyof DesiredState["targets"]];
    if (!projection) continue;
    // Every field a target is given, so the leaver fast path can declare an account exactly as applied.
    for (const { key, ...account } of projection.users) accounts[key] = account;
    holdings[target] = Object.fromEntries(itemsOf(projection).map(([item, members]) => [item, members.map((m) => m.user)]));
    items[target] = itemFields(projection);
  }
  const attributes: StackRecord["attributes"] = {};
  for (const p of desired.people) if (p.attributes && Object.keys(p.attributes).length > 0) attributes[p.id] = p.attributes;
  return { asOf: desired.asOf, accounts, holdings, items, identities: desired.identities, attributes, roleGrants: desired.roleGrants };
}

/** Each held item's fields besides its key and members, by `kind:key`, in the order itemsOf lists them. */
function itemFields(projection: NonNullable<DesiredState["targets"][keyof DesiredState["targets"]]>): Record<string, Record<string, unknown>> {
  const fields = projection as unknown as Record<string, ({ key: string; members: unknown } & Record<string, unknown>)[] | undefined>;
  return Object.fromEntries(
    heldKinds().flatMap(({ kind, field }) =>
      (fields[field] ?? []).map(({ key, members: _members, ...rest }): [string, Record<string, unknown>] => [`${kind}:${key}`, rest]),
    ),
  );
}

/**
 * The record a stack's last update left, as compile reads it. A record that is there but does
 * not parse is refused (undefined would mean "no history", and every login would be derived
 * again): the caller stops with the message.
 */
export function readPreviousRecord(outputs: Record<string, unknown>): { record?: PreviousRecord; problem?: string } {
  const raw = outputs[RECORD_OUTPUT];
  if (raw === undefined) return {};
  if (typeof raw === "string") return { problem: `the stack's record (output '${RECORD_OUTPUT}') is not JSON` };
  const parsed = PreviousRecordSchema.safeParse(raw);
  if (parsed.success) return { record: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { problem: `the stack's record (output 'rolecall') is unreadable at ${issue.path.join(".") || "its root"}: ${issue.message}` };
}

/** A step of a failed update that did not happen: its target and resource name. */
export interface Unsettled {
  target: string;
  name: string;
  /** The step was on an account resource (named by the identity), not on a holding. */
  account: boolean;
}

/**
 * What a stack really holds after an update that failed part-way: the declared record where
 * the update did its steps, the previous one where it did not. An account or a holding stays
 * as it was when a step on its resource did not happen — the account resource named by the worker ID;
 * for a holding, the resource named by the item's catalog key, the holder, or `<item>/<holder>` for per-holder resources. The next plan then
 * still shows every gain and risk that was not applied.
 */
export function settleRecord(previous: StackRecord | undefined, declared: StackRecord, unsettled: readonly Unsettled[]): StackRecord {
  if (unsettled.length === 0) return declared;
  const pending = new Set(unsettled.filter((u) => !u.account).map((u) => `${u.target}|${u.name}`));
  const pendingNames = new Set(unsettled.filter((u) => u.account).map((u) => u.name));
  const before: StackRecord = previous ?? { asOf: declared.asOf, accounts: {}, holdings: {} };

  const accounts: StackRecord["accounts"] = {};
  for (const key of new Set([...Object.keys(before.accounts), ...Object.keys(declared.accounts)])) {
    const account = pendingNames.has(key) ? before.accounts[key] : declared.accounts[key];
    if (account) accounts[key] = account;
  }

  const holdings: StackRecord["holdings"] = {};
  for (const target of new Set([...Object.keys(before.holdings), ...Object.keys(declared.holdings)])) {
    const items: Record<string, string[]> = {};
    const was = before.holdings[target] ?? {};
    const now = declared.holdings[target] ?? {};
    for (const item of new Set([...Object.keys(was), ...Object.keys(now)])) {
      const key = item.slice(item.indexOf(":") + 1);
      const had = new Set(was[item] ?? []);
      const has = new Set(now[item] ?? []);
      const holders = [...new Set([...had, ...has])].filter((user) => {
        const open = [key, user, `${key}/${user}`, `${user}/${key}`].some((name) => pending.has(`${target}|${name}`));
        return open ? had.has(user) : has.has(user);
      });
      if (holders.length > 0 || (item in now && !pending.has(`${target}|${key}`)) || (item in was && pending.has(`${target}|${key}`))) items[item] = holders.sort();
    }
    holdings[target] = items;
  }
  // An item whose own resource's step did not happen keeps the fields it had.
  let items: StackRecord["items"];
  if (declared.items) {
    items = {};
    for (const [target, now] of Object.entries(declared.items)) {
      const was = before.items?.[target] ?? {};
      items[target] = Object.fromEntries(
        Object.entries(now).map(([item, fields]) => [item, pending.has(`${target}|${item.slice(item.indexOf(":") + 1)}`) && was[item] ? was[item] : fields]),
      );
      // An item whose delete did not happen keeps its fields too.
      for (const item of Object.keys(was)) if (!(item in items[target]) && pending.has(`${target}|${item.slice(item.indexOf(":") + 1)}`)) items[target][item] = was[item]!;
    }
  }
  // The identity ledger stays the declared one: a login handed out by a half-done update must
  // never go to someone else on the next run.
  return { ...declared, accounts, holdings, ...(items ? { items } : {}) };
}
