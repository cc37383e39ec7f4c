import { byString } from "../compile/order.js";
import type { DesiredState, Holders } from "../model/desired-state.js";
import type { Finding } from "../model/finding.js";
import type { AccountClass, ClassifiedAccount, CorrelationRule, LiveAccount, LiveDirectory, LiveItem, TargetInventory, UnmanagedHolding } from "../model/inventory.js";
import type { StackRecord } from "../targets/record.js";
import type { AnyTarget, HeldKind } from "../targets/target.js";

/** Case-insensitive and unicode-normalised, so `Zoë` typed two ways and `ANA@X` match. */
export const normalised = (value: string): string => value.normalize("NFC").toLowerCase();

/** Someone an account may belong to: a person of the roster, a service account, or an account the stack's record still holds. */
interface Identity {
  key: string;
  emails: string[];
  userNames: string[];
  /** A leaver past grace, or a service account no longer declared: should hold nothing. */
  gone?: string;
  source?: { file: string; line?: number };
}

export interface CorrelationInput {
  target: string;
  live: LiveDirectory;
  desired: DesiredState;
  /** The stack's record of its last apply: the accounts rolecall manages in this target. */
  record?: Pick<StackRecord, "accounts" | "holdings">;
  rules: readonly CorrelationRule[];
  held: readonly HeldKind[];
  /** What the target's groups hold (Target.groupHeld), for a target whose live items carry `groups`. */
  groupHeld?: AnyTarget["groupHeld"];
  readAt: string;
}

function identitiesOf(desired: DesiredState, record: CorrelationInput["record"]): Identity[] {
  const identities: Identity[] = desired.people.map((p) => ({
    key: p.id,
    emails: [p.email],
    userNames: [p.login, p.email],
    ...(p.state === "leaver" && p.account === "absent" ? { gone: `a leaver past grace (${p.stateReason})` } : {}),
    source: p.source,
  }));
  // A service account's address is in every projection that declares it, or in the record once it is no longer declared.
  const declaredEmail = new Map(Object.values(desired.targets).flatMap((t) => t?.users.map((u): [string, string] => [u.key, u.email]) ?? []));
  for (const sa of desired.serviceAccounts) {
    const email = declaredEmail.get(sa.key) ?? record?.accounts[sa.key]?.email;
    identities.push({ key: sa.key, emails: email ? [email] : [], userNames: email ? [email] : [], ...(sa.declared ? {} : { gone: `a service account no longer declared (${sa.reason})` }) });
  }
  const known = new Set(identities.map((i) => i.key));
  for (const [key, account] of Object.entries(record?.accounts ?? {})) {
    if (known.has(key)) continue;
    identities.push({ key, emails: [account.email], userNames: account.userName ? [account.userName] : [account.email], gone: "no longer in the HR export" });
  }
  return identities;
}

/** The identities each rule matches an account with, in the policy's order; the first rule with any match decides. */
function candidatesOf(account: LiveAccount, rule: CorrelationRule, index: Map<string, Map<string, Set<string>>>): string[] {
  const values = rule === "externalId" ? (account.externalId ? [account.externalId] : []) : rule === "email" ? account.emails : [account.userName];
  const found = new Set<string>();
  for (const v of values) for (const key of index.get(rule)?.get(normalised(v)) ?? []) found.add(key);
  return [...found].sort();
}

/**
 * Classifies every live account of one target against the HR roster (midPoint's situations):
 * managed — rolecall's record holds it and its externalId is the identity's key; linked — it
 * belongs to an identity rolecall does not manage there yet; orphan — no identity matches;
 * disputed — several identities match, or its identity is already another account's;
 * leaver-present — its identity should hold nothing (a leaver past grace, a service account no
 * longer declared, someone no longer in the export). Holdings nothing declares are listed per
 * identity. Pure.
 */
export function correlate(input: CorrelationInput): { inventory: TargetInventory; findings: Finding[] } {
  const identities = identitiesOf(input.desired, input.record);
  const byKey = new Map(identities.map((i) => [i.key, i]));
  const index = new Map<string, Map<string, Set<string>>>();
  const add = (rule: string, value: string, key: string) => {
    let m = index.get(rule);
    if (!m) index.set(rule, (m = new Map()));
    let s = m.get(normalised(value));
    if (!s) m.set(normalised(value), (s = new Set()));
    s.add(key);
  };
  for (const i of identities) {
    add("externalId", i.key, i.key);
    for (const e of i.emails) add("email", e, i.key);
    for (const u of i.userNames) add("userName", u, i.key);
  }
  const managedHere = input.record?.holdings[input.target] !== undefined;
  const isManaged = (a: LiveAccount, key: string) => managedHere && input.record?.accounts[key] !== undefined && a.externalId !== undefined && normalised(a.externalId) === normalised(key);

  const claims = new Map<string, { account: LiveAccount; rule: CorrelationRule }[]>();
  const decided = new Map<string, ClassifiedAccount>();
  for (const account of input.live.accounts) {
    const base = { id: account.id, userName: account.userName, ...(account.externalId ? { externalId: account.externalId } : {}) };
    let matched = false;
    for (const rule of input.rules) {
      const candidates = candidatesOf(account, rule, index);
      if (candidates.length === 0) continue;
      matched = true;
      if (candidates.length > 1) decided.set(account.id, { ...base, class: "disputed", rule, candidates, reason: `its ${rule} matches ${candidates.join(", ")}` });
      else (claims.get(candidates[0]!) ?? claims.set(candidates[0]!, []).get(candidates[0]!)!).push({ account, rule });
      break;
    }
    if (!matched) decided.set(account.id, { ...base, class: "orphan", reason: `no HR worker or service account matches it by ${input.rules.join(", ")}` });
  }
  for (const [key, claimants] of claims) {
    const identity = byKey.get(key)!;
    const managed = claimants.filter((c) => isManaged(c.account, key));
    const owner = claimants.length === 1 ? claimants[0] : managed.length === 1 ? managed[0] : undefined;
    for (const c of claimants) {
      const base = { id: c.account.id, userName: c.account.userName, ...(c.account.externalId ? { externalId: c.account.externalId } : {}), identity: key, rule: c.rule };
      if (c !== owner) {
        const other = owner ? `already linked to account ${owner.account.userName}` : `also matched by ${claimants.filter((o) => o !== c).map((o) => o.account.userName).join(", ")}`;
        decided.set(c.account.id, { ...base, class: "disputed", candidates: [key], reason: `${key} is ${other}` });
      } else if (identity.gone) decided.set(c.account.id, { ...base, class: "leaver-present", reason: `${key} is ${identity.gone} and still has this account` });
      else if (isManaged(c.account, key)) decided.set(c.account.id, { ...base, class: "managed", reason: "in the stack's record, externalId is the identity's key" });
      else decided.set(c.account.id, { ...base, class: "linked", reason: `matches ${key} by ${c.rule}; rolecall does not manage it here yet` });
    }
  }
  const accounts = input.live.accounts.map((a) => decided.get(a.id)!).sort(byString((a) => `${a.userName} ${a.id}`));
  const summary = Object.fromEntries((["managed", "linked", "orphan", "disputed", "leaver-present"] as AccountClass[]).map((c) => [c, accounts.filter((a) => a.class === c).length])) as TargetInventory["summary"];

  const findings: Finding[] = accounts
    .filter((a) => a.class === "disputed")
    .map((a) => {
      const at = (a.candidates ?? []).map((k) => byKey.get(k)?.source).find((s) => s !== undefined) ?? { file: "hr/roster.csv" };
      return {
        severity: "error" as const,
        code: "disputed-account",
        message: `${input.target} account ${a.userName} (id ${a.id}) cannot be told apart: ${a.reason}`,
        ...at,
        hint: `decide whose it is in adoption.yaml (target ${input.target}, account "${a.id}", userName "${a.userName}", belongsTo: a worker ID or orphan), or set the account's externalId in ${input.target} to the worker ID it belongs to; rolecall adopts or removes nothing of it until then`,
      };
    });
  const unmanaged = unmanagedHoldings(input, accounts);
  return { inventory: { target: input.target, readAt: input.readAt, summary, accounts, unmanaged: unmanaged.holdings }, findings: [...findings, ...unmanaged.findings] };
}

/** A catalog item a live item is: its key, who the projection says holds it, and the groups declared to hold it. */
interface DeclaredItem {
  key: string;
  users: ReadonlySet<string>;
  groups: ReadonlySet<string>;
}

export type ProjectionEntry = { key: string; displayName?: string; members: Holders } & Record<string, unknown>;

/**
 * The catalog items a live item is, by the target's own facts: a held kind by the entry field
 * its live id is (`HeldKind.liveId`), else by externalId = key, else by display name; an item
 * its groups hold (`Target.groupHeld`) by display name. Several entries may be one live item
 * (two catalog keys for one Okta role type); none: the item is outside the catalog.
 */
function declaredItemsOf(input: CorrelationInput): (item: LiveItem) => DeclaredItem[] {
  const projection = (input.desired.targets as Record<string, Record<string, ProjectionEntry[]> | undefined>)[input.target];
  const groupHeld = projection && input.groupHeld ? input.groupHeld.declared(projection) : [];
  const none: ReadonlySet<string> = new Set();
  return (item) => {
    if (item.kind === input.groupHeld?.kind) {
      return groupHeld.filter((d) => normalised(d.displayName) === normalised(item.displayName)).map((d) => ({ key: d.key, users: none, groups: new Set(d.groups) }));
    }
    const held = input.held.find((h) => h.kind === item.kind);
    const entries = held ? (projection?.[held.field] ?? []) : [];
    return entriesOfItem(held, entries, item).map((d) => ({ key: d.key, users: new Set(d.members.map((m) => m.user)), groups: none }));
  };
}

/**
 * The projection entries of a held kind that a live item is: by the entry field its live id is
 * (`HeldKind.liveId`), else by externalId = key, else by display name. Correlation and brownfield
 * adoption both match items so, never differently.
 */
export function entriesOfItem<E extends ProjectionEntry>(held: Pick<HeldKind, "liveId"> | undefined, entries: readonly E[], item: LiveItem): E[] {
  if (held?.liveId) return entries.filter((d) => d[held.liveId!] === item.id);
  const byExternalId = item.externalId === undefined ? [] : entries.filter((d) => d.key === item.externalId);
  return byExternalId.length > 0 ? byExternalId : entries.filter((d) => d.displayName !== undefined && normalised(d.displayName) === normalised(item.displayName));
}

/**
 * Live holdings no catalog item's declared holders include: per holder, item by item. An item
 * held through a group (an AWS account assignment) is held by each of the group's live members,
 * and declared for one only where the group is declared to hold it and the member to be in the
 * group: a membership added by hand, or an assignment given by hand to a group, shows here as
 * the access it gives.
 */
function unmanagedHoldings(input: CorrelationInput, accounts: ClassifiedAccount[]): { holdings: UnmanagedHolding[]; findings: Finding[] } {
  const holderOf = new Map(accounts.map((a) => [a.id, a.identity ?? a.userName]));
  const declaredOf = declaredItemsOf(input);
  const groups = new Map(input.live.items.filter((i) => i.kind === "group").map((g) => [g.id, g]));
  const out: UnmanagedHolding[] = [];
  const findings: Finding[] = [];
  for (const item of input.live.items) {
    const entries = declaredOf(item);
    // Keys sharing one live item are that one item: it is named by the first.
    const name = { kind: item.kind, item: entries[0]?.key ?? item.displayName, inCatalog: entries.length > 0 };
    const holders = new Set(entries.flatMap((e) => [...e.users]));
    for (const member of item.members) {
      const holder = holderOf.get(member) ?? member;
      if (!holders.has(holder)) out.push({ holder, account: member, ...name });
    }
    for (const groupId of item.groups ?? []) {
      const group = groups.get(groupId);
      if (!group) {
        // Who holds it through a group the read did not list is unknown: said, never taken as nobody.
        findings.push({
          severity: "error",
          code: "inventory-holder-unread",
          message: `${input.target} ${item.kind} ${item.displayName} is held by group ${groupId}, which the live read did not list: who holds it through that group is not known`,
          hint: `run rolecall inventory again (a group created while the read ran is listed the next time); if it persists, check that the read may list every group of ${input.target}`,
        });
        continue;
      }
      const asGroup = declaredOf(group);
      const through = asGroup[0]?.key ?? group.displayName;
      const declaredThrough = asGroup.filter((g) => entries.some((e) => e.groups.has(g.key)));
      for (const member of group.members) {
        const holder = holderOf.get(member) ?? member;
        if (!declaredThrough.some((g) => g.users.has(holder))) out.push({ holder, account: member, ...name, through });
      }
    }
  }
  return { holdings: out.sort(byString((u) => `${u.holder} ${u.kind} ${u.item} ${u.through ?? ""}`)), findings };
}
