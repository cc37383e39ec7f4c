import anyAscii from "any-ascii";
import type { Finding } from "../model/finding.js";
import type { Located, Worker } from "../model/person.js";
import type { Policy } from "../model/policy.js";
import type { IdentityLedger } from "../model/previous.js";
import { addDays, daysBetween } from "./dates.js";
import type { CurrentRows } from "./history.js";
import type { Lifecycle } from "./lifecycle.js";

export interface Identity {
  login: string;
  email: string;
}

type Entry = IdentityLedger["assigned"][string];
type Freed = IdentityLedger["retired"]["logins"][string];

/**
 * Logins and emails, pinned by the previous ledger (see IDENTITIES.md beside this file).
 * Whoever holds a login keeps it whatever happens to anyone else; a worker ID that left keeps
 * its login and email reserved (a rehire gets them back); nothing a worker ID ever held goes to
 * another one unless `identity.reuseAfterDays` has passed since it was freed. Only newcomers
 * are derived from the templates, in order of start date then worker ID, skipping everything
 * taken, so their result does not depend on row order either.
 */
export function assignIdentities(
  { rows, rowOf, idOrder }: CurrentRows,
  /** Aligned with the rows. */
  lives: readonly Lifecycle[],
  policy: Policy,
  asOf: string,
  previous: IdentityLedger | undefined,
): { identities: readonly Identity[]; ledger: IdentityLedger; findings: Finding[] } {
  const { renames, reuseAfterDays, useHrEmail } = policy.identity;
  const freedLongAgo = (on: string) => reuseAfterDays !== undefined && daysBetween(on, asOf) >= reuseAfterDays;
  const findings: Finding[] = [];

  // The previous ledger's entries that still count, by worker ID (a newcomer's entry is kept only beside its row, in entryOf).
  const assigned = new Map<string, Entry>();
  const retiredLogins = new Map<string, Freed>();
  const retiredEmails = new Map<string, Freed>();
  const loginOwner = new Map<string, string>();
  const emailOwner = new Map<string, string>();
  const claim = (owners: Map<string, string>, value: string, workerId: string, what: string) => {
    const other = owners.get(value);
    if (other !== undefined && other !== workerId) {
      findings.push({ severity: "error", code: "identity-ledger-conflict", message: `the stack's identity record gives the ${what} ${value} to both ${other} and ${workerId}`, hint: "the record was edited or merged by hand; restore it from the backend's history" });
    }
    owners.set(value, workerId);
  };

  // Worker IDs of the ledger that dropped out of the export, in worker-ID order.
  const dropped: string[] = [];
  for (const [workerId, entry] of sortedEntries(previous?.assigned)) {
    const inExport = rowOf.has(workerId);
    if (entry.released && freedLongAgo(entry.released) && !inExport) continue;
    if (!inExport) dropped.push(workerId);
    assigned.set(workerId, { ...entry });
    claim(loginOwner, entry.login, workerId, "login");
    claim(emailOwner, entry.email, workerId, "email");
  }
  for (const [kind, from, into, owners] of [
    ["login", previous?.retired.logins, retiredLogins, loginOwner],
    ["email", previous?.retired.emails, retiredEmails, emailOwner],
  ] as const) {
    for (const [value, freed] of sortedEntries(from)) {
      if (freedLongAgo(freed.on)) continue;
      into.set(value, freed);
      claim(owners, value, freed.workerId, kind);
    }
  }

  const loginOf = renderer(policy.identity.loginTemplate, policy);
  const generatedEmail = emailer(policy.identity.emailTemplate, policy.organization.domain);
  const hrEmail = (worker: Worker) => (useHrEmail && worker.email ? worker.email.toLowerCase() : undefined);
  const freeFor = (owners: Map<string, string>, value: string, workerId: string) => (owners.get(value) ?? workerId) === workerId;
  /** The template's login, with the first numeric suffix that is free (and whose generated email is free too, if it is used). */
  const pickLogin = (base: string, workerId: string, needsEmail: boolean) => {
    let login = base;
    let email: string | undefined;
    for (let n = 2; !freeFor(loginOwner, login, workerId) || (needsEmail && !freeFor(emailOwner, (email = generatedEmail(login)), workerId)); n++) {
      login = `${base}${n}`;
      email = undefined;
    }
    return { login, email };
  };
  /** An email HR gives: refused when it is, or was, another worker ID's (two current holders are `duplicate-email`). */
  const checkHrEmail = (email: string, row: Located<Worker>) => {
    const other = emailOwner.get(email);
    if (other === undefined || other === row.value.workerId) return;
    const former = retiredEmails.get(email)?.workerId === other ? retiredEmails.get(email)!.on : assigned.get(other)?.released;
    if (former === undefined) return;
    findings.push({
      severity: "error",
      code: "email-taken",
      message: `${row.value.workerId}'s work email ${email} belonged to ${other} until ${former}; an address is never given to another worker ID`,
      ...row.at,
      hint: reuseAfterDays === undefined ? "give the new worker another address in HR, or set identity.reuseAfterDays in policy.yaml" : `give the new worker another address in HR; identity.reuseAfterDays (${reuseAfterDays}) frees it on ${addDays(former, reuseAfterDays)}`,
    });
  };
  const retire = (into: Map<string, Freed>, owners: Map<string, string>, value: string, workerId: string) => {
    if (!into.has(value)) into.set(value, { workerId, on: asOf });
    owners.set(value, workerId);
  };
  const reclaim = (into: Map<string, Freed>, owners: Map<string, string>, value: string, workerId: string) => {
    if (into.get(value)?.workerId === workerId) into.delete(value);
    owners.set(value, workerId);
  };

  // Row by row, aligned with rows: the ledger's entry (pinned) or the one a newcomer is given.
  const entryOf: Entry[] = [];
  // Pinned first, in worker-ID order: what someone already has is settled before any newcomer is named.
  for (const i of idOrder) {
    const row = rows[i]!;
    const { workerId } = row.value;
    const entry = assigned.get(workerId);
    if (!entry) continue;
    entryOf[i] = entry;
    const base = loginOf(row.value);
    const was = { login: entry.login, email: entry.email };
    if (base !== (entry.base ?? entry.login) && base !== entry.login) {
      if (renames === "follow") {
        const { login } = pickLogin(base, workerId, !hrEmail(row.value));
        if (login !== entry.login) {
          retire(retiredLogins, loginOwner, entry.login, workerId);
          reclaim(retiredLogins, loginOwner, login, workerId);
          if (entry.email === generatedEmail(entry.login)) entry.email = generatedEmail(login);
          entry.login = login;
        }
      } else {
        findings.push({ severity: "info", code: "login-kept", message: `${workerId}'s name now gives the login ${base}; they keep ${entry.login} (policy identity.renames: keep)`, ...row.at, hint: "set identity.renames: follow in policy.yaml to rename logins with names" });
      }
    }
    const fromHr = hrEmail(row.value);
    if (fromHr !== undefined && fromHr !== entry.email) {
      checkHrEmail(fromHr, row);
      entry.email = fromHr;
    }
    if (entry.email !== was.email) {
      retire(retiredEmails, emailOwner, was.email, workerId);
      reclaim(retiredEmails, emailOwner, entry.email, workerId);
    }
    setBase(entry, base);
    setReleased(entry, lives[i], asOf);
  }

  // Newcomers by seniority: among namesakes who arrive together, whoever started first gets the plain login.
  // A row that had ended before any record of it (an old contract kept in the export) was never
  // given an account: it comes after everyone who gets one, claims nothing from them and is not
  // recorded, so history neither renames nor blocks anyone current (history.ts warns on it).
  const unrecorded = new Set<Entry>();
  // Taken in worker-ID order, then sorted by start date alone (all YYYY-MM-DD, so text order is
  // date order): the sort is stable, so newcomers who start on one day stay in worker-ID order,
  // with no second comparison, and an export numbered in hiring order is in order already.
  const recorded: number[] = [];
  const neverGiven: number[] = [];
  for (const at of idOrder) if (entryOf[at] === undefined) (endedUnprovisioned(lives[at]) ? neverGiven : recorded).push(at);
  const byStart = (a: number, b: number) => compareText(rows[a]!.value.startDate, rows[b]!.value.startDate);
  const name = (at: number, never: boolean) => {
    const row = rows[at]!;
    const { workerId } = row.value;
    const base = loginOf(row.value);
    const fromHr = hrEmail(row.value);
    const { login, email } = pickLogin(base, workerId, fromHr === undefined);
    const entry: Entry = { login, email: fromHr ?? email ?? generatedEmail(login) };
    setBase(entry, base);
    entryOf[at] = entry;
    if (never) {
      unrecorded.add(entry);
      return;
    }
    // A recorded newcomer is never `released` (only a leaver past the grace days is, and they are
    // not recorded): so checkHrEmail, which asks `assigned` when an email was released, need not find them there.
    loginOwner.set(login, workerId);
    // A generated email, pickLogin found free for this worker ID: taken without asking again. One
    // from HR that nobody holds is simply taken; checkHrEmail has something to say only about one held already.
    if (fromHr === undefined || !emailOwner.has(fromHr)) emailOwner.set(entry.email, workerId);
    else checkHrEmail(fromHr, row);
  };
  for (const at of recorded.sort(byStart)) name(at, false);
  for (const at of neverGiven.sort(byStart)) name(at, true);

  // Worker IDs that dropped out of the export keep what they had, reserved from the first day they were missing.
  for (const workerId of dropped) assigned.get(workerId)!.released ??= asOf;

  // The ledger in worker-ID order, without sorting its entries: the rows' in idOrder, with the
  // dropped-out ones (sorted too) merged in. A row that ended before any record of it is not recorded.
  const ledgerAssigned: IdentityLedger["assigned"] = {};
  let next = 0;
  for (const i of idOrder) {
    const { workerId } = rows[i]!.value;
    for (; next < dropped.length && dropped[next]! < workerId; next++) ledgerAssigned[dropped[next]!] = assigned.get(dropped[next]!)!;
    if (!unrecorded.has(entryOf[i]!)) ledgerAssigned[workerId] = entryOf[i]!;
  }
  for (; next < dropped.length; next++) ledgerAssigned[dropped[next]!] = assigned.get(dropped[next]!)!;
  return {
    // The entries themselves, not a copy of their login and email per row.
    identities: entryOf,
    ledger: { assigned: ledgerAssigned, retired: { logins: sortedRecord(retiredLogins), emails: sortedRecord(retiredEmails) } },
    findings,
  };
}

/** Freed once the account is gone for good: a leaver past the grace days. A pre-hire beyond the window keeps theirs reserved. */
/**
 * A ledger for a stack recorded before ledgers existed: each person's account keeps the email
 * it was given (the login is its local part), and their current name counts as unchanged.
 */
export function ledgerFromAccounts(accounts: Record<string, { email: string; kind: string }>, rows: readonly Located<Worker>[], policy: Policy): IdentityLedger {
  const workers = new Map(rows.map((r) => [r.value.workerId, r.value]));
  const assigned: IdentityLedger["assigned"] = {};
  for (const [workerId, account] of sortedEntries(accounts)) {
    if (account.kind !== "person") continue;
    const login = account.email.split("@")[0]!;
    const worker = workers.get(workerId);
    const base = worker ? render(policy.identity.loginTemplate, worker, policy) : login;
    assigned[workerId] = { login, email: account.email, ...(base !== login ? { base } : {}) };
  }
  return { assigned, retired: { logins: {}, emails: {} } };
}

/** A leaver past the grace days: no account is declared for them. */
function endedUnprovisioned(life: Lifecycle | undefined): boolean {
  return life?.state === "leaver" && life.account === "absent";
}

function setReleased(entry: Entry, life: Lifecycle | undefined, asOf: string): void {
  if (endedUnprovisioned(life)) entry.released ??= asOf;
  else delete entry.released;
}

function setBase(entry: Entry, base: string): void {
  if (base === entry.login) delete entry.base;
  else entry.base = base;
}

function sortedEntries<V>(record: Record<string, V> | undefined): [string, V][] {
  return Object.keys(record ?? {})
    .sort()
    .map((k) => [k, record![k]!]);
}

function sortedRecord<V>(map: Map<string, V>): Record<string, V> {
  // The entries sorted by key (code-unit order, as sort() orders strings): no lookup per key.
  return Object.fromEntries([...map].sort(([a], [b]) => compareText(a, b)));
}

/** Code-unit order, as sort() orders strings. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function render(template: string, worker: Worker, policy: Policy): string {
  const part = (s: string | undefined) =>
    anyAscii(s ?? "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "");
  return template
    .replaceAll("{given}", part(worker.givenName))
    .replaceAll("{preferred}", part(worker.preferredName ?? worker.givenName))
    .replaceAll("{family}", part(worker.familyName))
    .replaceAll("{workerId}", part(worker.workerId))
    .replaceAll("{domain}", policy.organization.domain);
}

/**
 * The email template filled in for a login: what `template.replaceAll("{login}", login)
 * .replaceAll("{domain}", domain)` gives, asked for each newcomer and each suffix tried. With one
 * {login} and no other braces in the template, and no `$` (which means something to
 * replaceAll) in the domain or the login nor a brace in the login, that is the text around
 * {login} with the domain put in once, and the login between: one concatenation per login.
 */
function emailer(template: string, domain: string): (login: string) => string {
  const replaced = (login: string) => template.replaceAll("{login}", login).replaceAll("{domain}", domain);
  const around = template.split("{login}");
  if (around.length !== 2 || domain.includes("$") || around.some((text) => /[{}]/.test(text.replaceAll("{domain}", "")))) return replaced;
  const [before, after] = around.map((text) => text.replaceAll("{domain}", domain)) as [string, string];
  return (login) => (login.includes("$") || login.includes("{") ? replaced(login) : before + login + after);
}

const PLACEHOLDER = /(\{given\}|\{preferred\}|\{family\}|\{workerId\}|\{domain\})/;
const FIELD_OF: Record<string, (worker: Worker) => string> = {
  "{given}": (w) => w.givenName,
  "{preferred}": (w) => w.preferredName ?? w.givenName,
  "{family}": (w) => w.familyName,
  "{workerId}": (w) => w.workerId,
};

/**
 * render() for many workers. The template is split once, only the names it uses are
 * transliterated, and each distinct name once (names repeat: at 100,000 workers this was
 * most of the identities' time). Substituting in one pass gives what render's replacements
 * in turn give as long as the template's own text has no braces (the names lose theirs): no
 * placeholder can appear from a substitution. A template with stray braces takes render.
 */
function renderer(template: string, policy: Policy): (worker: Worker) => string {
  const pieces = template.split(PLACEHOLDER);
  // A `$` in the domain means something to replaceAll: render's way, then.
  if (policy.organization.domain.includes("$") || pieces.some((piece, i) => i % 2 === 0 && /[{}]/.test(piece))) return (worker) => render(template, worker, policy);
  const parts = new Map<string, string>();
  const part = (s: string) => {
    let p = parts.get(s);
    if (p === undefined) parts.set(s, (p = anyAscii(s).toLowerCase().replace(/[^a-z0-9]+/g, "")));
    return p;
  };
  return (worker) => {
    let login = "";
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i % 2 === 0) login += piece;
      else if (piece === "{domain}") login += policy.organization.domain;
      else login += part(FIELD_OF[piece]!(worker));
    }
    return login;
  };
}
