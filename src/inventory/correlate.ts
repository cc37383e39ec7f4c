import { byString } from "../compile/order.js";
import type { DesiredState, Holders } from "../model/desired-state.js";
import type { Finding } from "../model/finding.js";
import type { AccountClass, ClassifiedAccount, CorrelationRule, LiveAccount, LiveDirectory, TargetInventory, UnmanagedHolding } from "../model/inventory.js";
import type { StackRecord } from "../targets/record.js";
import type { HeldKind } from "../targets/target.js";

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
  return { inventory: { target: input.target, readAt: input.readAt, summary, accounts, unmanaged: unmanagedHoldings(input, accounts) }, findings };
}

/** Live holdings no catalog item's declared holders include: per holder, item by item. */
function unmanagedHoldings(input: CorrelationInput, accounts: ClassifiedAccount[]): UnmanagedHolding[] {
  const holderOf = new Map(accounts.map((a) => [a.id, a.identity ?? a.userName]));
  const projection = (input.desired.targets as Record<string, Record<string, { key: string; displayName?: string; members: Holders }[]> | undefined>)[input.target];
  const out: UnmanagedHolding[] = [];
  for (const item of input.live.items) {
    const field = input.held.find((h) => h.kind === item.kind)?.field;
    const declared = field ? projection?.[field] : undefined;
    const entry = declared?.find((d) => (item.externalId !== undefined && d.key === item.externalId) || (d.displayName !== undefined && normalised(d.displayName) === normalised(item.displayName)));
    const holders = new Set(entry?.members.map((m) => m.user) ?? []);
    for (const member of item.members) {
      const holder = holderOf.get(member) ?? member;
      if (entry && holders.has(holder)) continue;
      out.push({ holder, account: member, kind: item.kind, item: entry?.key ?? item.displayName, inCatalog: entry !== undefined });
    }
  }
  return out.sort(byString((u) => `${u.holder} ${u.kind} ${u.item}`));
}
