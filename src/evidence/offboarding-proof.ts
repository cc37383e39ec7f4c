import { byString } from "../compile/order.js";
import type { DesiredState } from "../model/desired-state.js";
import type { LiveAccount, LiveDirectory, LiveItem } from "../model/inventory.js";
import type { AccountFound, HoldingFound, ProofSubject, ProofVerdict, TargetVerdict } from "../model/offboarding.js";
import type { PersonChange } from "../model/plan.js";
import type { StackRecord } from "../targets/record.js";
import { targetNamed } from "../targets/registry.js";

/** Case-insensitive and unicode-normalised, as correlation compares. */
const norm = (value: string): string => value.normalize("NFC").toLowerCase();

/** Someone who should hold nothing (or only what the desired state keeps) after the run. */
export interface Subject {
  id: string;
  kind: "person" | "service-account";
  state: ProofSubject["state"];
  reason: string;
  /** Every login and email the identity's accounts were or are known by; logins alone go into the evidence. */
  logins: string[];
  emails: string[];
  revoked?: ProofSubject["revoked"];
}

/** A catalog item of a target as the desired state leaves it: its key, name and holders. */
export interface DeclaredItem {
  kind: string;
  key: string;
  displayName?: string;
  members: string[];
}

/** One enabled target: what the desired state leaves in it, and its live read or why there is none. */
export interface ProofTarget {
  target: string;
  /** Accounts the desired state keeps, with whether they may sign in. */
  users: { key: string; active: boolean }[];
  items: DeclaredItem[];
  live?: LiveDirectory;
  readAt?: string;
  /** Why the target could not be read live (no read side, or the read failed). */
  unread?: string;
}

/** What the desired state leaves in one target, from its projection (absent for a target the catalog does not describe). */
export function declaredIn(desired: DesiredState, target: string): Pick<ProofTarget, "users" | "items"> {
  const projection = desired.targets[target as keyof DesiredState["targets"]] as unknown as Record<string, unknown> & { users?: { key: string; active: boolean }[] } | undefined;
  if (!projection) return { users: [], items: [] };
  const held = targetNamed(target)?.held ?? [];
  const items = held.flatMap(({ kind, field }) =>
    ((projection[field] as { key: string; displayName?: string; members: { user: string }[] }[] | undefined) ?? []).map((i) => ({
      kind,
      key: i.key,
      ...(i.displayName !== undefined ? { displayName: i.displayName } : {}),
      members: i.members.map((m) => m.user),
    })),
  );
  return { users: (projection.users ?? []).map((u) => ({ key: u.key, active: u.active })), items };
}

/**
 * Who the proof must check after a run: every identity of the plan whose access ends in it —
 * a leaver, someone going on leave, someone gone from the roster, a service account no longer
 * declared. Their logins and emails come from the identity ledger (a renamed worker's old ones
 * too), what the run declares, and the stack's record before it. Pure.
 */
export function subjectsOf(people: readonly PersonChange[], desired: DesiredState, previous: Pick<StackRecord, "accounts"> | undefined): Subject[] {
  const identifiers = identifiersIndex(desired, previous);
  return people
    .filter((p) => p.state === "leaver" || p.state === "leave" || p.state === "removed")
    .map((p) => ({ id: p.id, kind: p.kind, state: p.state, reason: p.stateReason, ...identifiers(p.id) }));
}

/**
 * Every login and email an identity is or was known by: its identity ledger entry (and the
 * logins and emails it had before a rename), the person's own, what the desired state
 * declares for it, and the stack's record.
 */
export function identifiersIndex(desired: DesiredState, previous: Pick<StackRecord, "accounts"> | undefined): (id: string) => { logins: string[]; emails: string[] } {
  const known = new Map<string, { logins: Set<string>; emails: Set<string> }>();
  const add = (id: string, login?: string, email?: string) => {
    let k = known.get(id);
    if (!k) known.set(id, (k = { logins: new Set(), emails: new Set() }));
    if (login) k.logins.add(login);
    if (email) k.emails.add(email);
  };
  for (const [id, entry] of Object.entries(desired.identities.assigned)) add(id, entry.login, entry.email);
  for (const [login, freed] of Object.entries(desired.identities.retired.logins)) add(freed.workerId, login);
  for (const [email, freed] of Object.entries(desired.identities.retired.emails)) add(freed.workerId, undefined, email);
  for (const p of desired.people) add(p.id, p.login, p.email);
  for (const projection of Object.values(desired.targets)) for (const u of (projection as { users?: { key: string; userName: string; email: string }[] } | undefined)?.users ?? []) add(u.key, u.userName, u.email);
  for (const [id, was] of Object.entries(previous?.accounts ?? {})) add(id, was.userName, was.email);
  return (id) => {
    const k = known.get(id);
    return { logins: [...(k?.logins ?? [])].sort(), emails: [...(k?.emails ?? [])].sort() };
  };
}

/**
 * The verdict for each subject in each target: its accounts (every live account whose
 * externalId is its key, or whose login or an email is one of its own) must be gone — or
 * disabled where the desired state keeps a disabled account —, and none may hold anything the
 * desired state does not still give it. A target without a live read is `unverified`, never
 * taken as empty. Pure.
 */
export function judge(subjects: readonly Subject[], targets: readonly ProofTarget[]): ProofSubject[] {
  const indexed = targets.map(indexTarget);
  return subjects.map((s) => {
    const verdicts = indexed.map((t) => judgeOne(s, t));
    const { emails: _, ...kept } = s;
    return { ...kept, verdict: overall(verdicts.map((v) => v.verdict)), targets: verdicts };
  });
}

/** A target's live read indexed once, so the proof costs one pass over it, not one per leaver. */
interface IndexedTarget {
  t: ProofTarget;
  users: Map<string, { key: string; active: boolean }>;
  /** Live accounts by normalised externalId, userName and email. */
  byName: Map<string, LiveAccount[]>;
  /** Per live account id, the items it holds, each with the catalog item it is (if any). */
  held: Map<string, { item: LiveItem; declared?: DeclaredItem }[]>;
}

function indexTarget(t: ProofTarget): IndexedTarget {
  const byName = new Map<string, LiveAccount[]>();
  const held = new Map<string, { item: LiveItem; declared?: DeclaredItem }[]>();
  const add = <V>(m: Map<string, V[]>, key: string, value: V) => (m.get(key) ?? m.set(key, []).get(key)!).push(value);
  for (const a of t.live?.accounts ?? []) for (const name of new Set([a.externalId, a.userName, ...a.emails].filter((n): n is string => n !== undefined).map(norm))) add(byName, name, a);
  const byKey = new Map(t.items.map((d) => [`${d.kind}\u0000${d.key}`, d]));
  const byDisplay = new Map(t.items.filter((d) => d.displayName !== undefined).map((d) => [`${d.kind}\u0000${norm(d.displayName!)}`, d]));
  for (const item of t.live?.items ?? []) {
    const declared = (item.externalId !== undefined ? byKey.get(`${item.kind}\u0000${item.externalId}`) : undefined) ?? byDisplay.get(`${item.kind}\u0000${norm(item.displayName)}`);
    for (const member of new Set(item.members)) add(held, member, { item, ...(declared ? { declared } : {}) });
  }
  return { t, users: new Map(t.users.map((u) => [u.key, u])), byName, held };
}

/**
 * Whether the target's declaration can disable an account. Where it cannot (AWS Identity
 * Center: the provider has no status), a kept account is proven by holding nothing, since access
 * there is only ever through memberships and assignments; demanding a disabled flag would fail
 * every leaver in grace.
 */
function canDisable(target: string): boolean {
  return (targetNamed(target)?.plan.enabledFields.length ?? 1) > 0;
}

/** failed beats unverified beats proven. */
export function overall(verdicts: readonly ProofVerdict[]): ProofVerdict {
  return verdicts.includes("failed") ? "failed" : verdicts.includes("unverified") ? "unverified" : "proven";
}

function judgeOne(s: Subject, { t, users, byName, held }: IndexedTarget): TargetVerdict {
  const user = users.get(s.id);
  const expected = !user ? "absent" : canDisable(t.target) ? "disabled" : "without-access";
  if (!t.live) return { target: t.target, verdict: "unverified", expected, accounts: [], remaining: [], kept: [], problems: [`${t.target} was not read live: ${t.unread ?? "no live read"}`] };

  // Matched by the externalId being its key, or a login or email being one of its own.
  const mine = new Map<string, LiveAccount>();
  for (const name of new Set([s.id, ...s.logins, ...s.emails].map(norm))) {
    for (const a of byName.get(name) ?? []) {
      const byKey = a.externalId !== undefined && norm(a.externalId) === name && name === norm(s.id);
      if (byKey || norm(a.userName) === name || a.emails.some((e) => norm(e) === name)) mine.set(a.id, a);
    }
  }
  const accounts: AccountFound[] = [...mine.values()].map((a) => ({ id: a.id, userName: a.userName, ...(a.active !== undefined ? { active: a.active } : {}) })).sort(byString((a) => `${a.userName} ${a.id}`));
  const problems: string[] = [];
  let unknown = false;
  for (const a of accounts) {
    if (expected === "absent") problems.push(`account ${a.userName} (id ${a.id}) is still present${a.active === false ? " (disabled)" : a.active ? " and enabled" : ""}`);
    else if (expected === "without-access") continue;
    else if (a.active === true) problems.push(`account ${a.userName} (id ${a.id}) is enabled`);
    else if (a.active === undefined) unknown = true;
  }

  const remaining: HoldingFound[] = [];
  const kept: HoldingFound[] = [];
  for (const a of accounts) {
    for (const { item, declared } of held.get(a.id) ?? []) {
      const found = { account: a.id, kind: item.kind, item: declared?.key ?? item.displayName, inCatalog: declared !== undefined };
      if (user && declared?.members.includes(s.id)) kept.push(found);
      else remaining.push(found);
    }
  }
  remaining.sort(byString((h) => `${h.kind} ${h.item} ${h.account}`));
  kept.sort(byString((h) => `${h.kind} ${h.item} ${h.account}`));
  for (const h of remaining) problems.push(`still holds ${h.kind} ${h.item}${h.inCatalog ? "" : " (not in the catalog)"}`);
  const checkedAt = t.readAt ? { checkedAt: t.readAt } : {};
  if (problems.length > 0) return { target: t.target, verdict: "failed", ...checkedAt, expected, accounts, remaining, kept, problems };
  if (unknown) problems.push(`${t.target} does not say whether the account is enabled`);
  return { target: t.target, verdict: unknown ? "unverified" : "proven", ...checkedAt, expected, accounts, remaining, kept, problems };
}

/** One line per identity that is not proven, naming target and what remains: for the terminal and errors. */
export function notProvenLines(people: readonly Pick<ProofSubject, "id" | "verdict" | "targets">[]): string[] {
  return people
    .filter((p) => p.verdict === "failed" || p.verdict === "unverified")
    .flatMap((p) => p.targets.filter((t) => t.verdict !== "proven").map((t) => `${p.id} in ${t.target}: ${t.verdict} — ${t.problems.join("; ")}`));
}
