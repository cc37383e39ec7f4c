import type { DesiredState } from "../model/desired-state.js";
import type { Attestation, AttestedSubject, ProofVerdict } from "../model/offboarding.js";
import type { StackRecord } from "../targets/record.js";
import type { Departure } from "./attest-history.js";
import { identifiersIndex, judge, overall, type ProofTarget } from "./offboarding-proof.js";

export const ATTEST_METHOD =
  "every identity whose access an applied run ended on or after the date (from the stack's evidence bundles, every file of each checked against its files.json), and every leaver past grace in today's HR export whose leaving date is on or after it (or who is terminated with no date), named when no bundle does, was looked up in every enabled target, read live now (every account, group and held item, paged to the end): it must have no account — or only a disabled one where today's desired state keeps it —, matched by externalId (its key), login or email, and hold nothing today's desired state does not give it; an identity active again today (rehired, back from leave, declared again) is listed as returned and not checked";

export interface AttestInput {
  stack: string;
  since: string;
  departures: readonly Departure[];
  sources: Attestation["sources"];
  /** Today's compiled desired state: who is active again, and what each target keeps. */
  desired: DesiredState;
  record?: Pick<StackRecord, "accounts">;
  targets: readonly ProofTarget[];
}

/** Who is active again today (rehired, back from leave, declared again): access is expected there, and checking it would be a false alarm. */
function returnedIndex(desired: DesiredState): Map<string, string> {
  const back = new Map<string, string>();
  for (const p of desired.people) if (p.state === "active") back.set(p.id, `active again today: ${p.stateReason}`);
  for (const s of desired.serviceAccounts) if (s.declared) back.set(s.key, "declared again today");
  return back;
}

/**
 * The attestation: each departure since the date judged against the targets as read now,
 * exactly as an apply's proof judges its leavers. Pure.
 */
export function attestationOf(input: AttestInput): Attestation {
  const identifiers = identifiersIndex(input.desired, input.record);
  const back = returnedIndex(input.desired);
  const checked = input.departures.filter((d) => !back.has(d.id));
  const judged = new Map(
    judge(
      checked.map((d) => {
        const known = identifiers(d.id);
        return { id: d.id, kind: d.kind, state: d.state, reason: d.reason, logins: [...new Set([...d.logins, ...known.logins])].sort(), emails: known.emails };
      }),
      input.targets,
    ).map((p) => [p.id, p]),
  );
  const people: AttestedSubject[] = input.departures.map((d) => {
    const left = { bundle: d.bundle, asOf: d.asOf };
    const p = judged.get(d.id);
    if (!p) return { id: d.id, kind: d.kind, state: d.state, reason: back.get(d.id)!, logins: [...d.logins].sort(), verdict: "returned", targets: [], left };
    return { id: p.id, kind: p.kind, state: p.state, reason: p.reason, logins: p.logins, verdict: p.verdict, targets: p.targets, left };
  });
  const verdict = overall(people.filter((p) => p.verdict !== "returned").map((p) => p.verdict as ProofVerdict));
  const times = input.targets.map((t) => t.readAt).filter((t): t is string => t !== undefined).sort();
  return {
    schemaVersion: 1,
    stack: input.stack,
    since: input.since,
    checkedAt: times.at(-1) ?? new Date().toISOString(),
    method: ATTEST_METHOD,
    verdict,
    proven: verdict === "proven",
    sources: input.sources,
    unread: input.targets.filter((t) => !t.live).map((t) => ({ target: t.target, reason: t.unread ?? "not read" })),
    people,
  };
}

/** attestation.md: the verdict, who was checked where and what was found, and the bundles it came from. */
export function renderAttestation(a: Attestation): string {
  const icon: Record<AttestedSubject["verdict"], string> = { proven: "✅ proven", failed: "❌ failed", unverified: "⚠️ unverified", returned: "↩️ returned" };
  const checked = a.people.filter((p) => p.verdict !== "returned").length;
  const lines = [
    `## rolecall attestation · stack ${code(a.stack)} · leavers since ${code(a.since)}`,
    "",
    `**${icon[a.verdict]}**: ${checked} ${checked === 1 ? "identity" : "identities"} whose access ended since ${code(a.since)} checked live in every enabled target at ${code(a.checkedAt)}` +
      `${a.people.length > checked ? `; ${a.people.length - checked} active again, not checked` : ""}.`,
    "",
  ];
  for (const u of a.unread) lines.push(`- ⚠️ ${code(u.target)} not read live: ${plain(u.reason)}`);
  const unbundled = a.people.filter((p) => p.left.bundle === null);
  if (unbundled.length > 0) lines.push(`- ⚠️ no applied evidence bundle since ${code(a.since)} names ${unbundled.map((p) => code(p.id)).join(", ")}: taken from today's HR export and checked all the same`, "");
  if (a.people.length > 0) {
    lines.push("| Verdict | Identity | State then | Left in | Target | Found |", "|---|---|---|---|---|---|");
    for (const p of a.people) {
      const rows = p.targets.length > 0 ? p.targets : [undefined];
      for (const t of rows) {
        const found = !t ? plain(p.reason) : t.verdict === "proven" ? "nothing" : plain(t.problems.join("; "));
        const left = p.left.bundle === null ? `⚠️ no evidence bundle (HR export as of ${plain(p.left.asOf)})` : `${code(p.left.bundle)} (as of ${plain(p.left.asOf)})`;
        lines.push(`| ${icon[t?.verdict ?? p.verdict]} | ${code(p.id)} | ${plain(p.state)} | ${left} | ${t ? code(t.target) : ""} | ${found} |`);
      }
    }
  } else lines.push("_Nobody's access ended in an applied run since that date._");
  lines.push("", `Sources: ${a.sources.length} applied evidence ${a.sources.length === 1 ? "bundle" : "bundles"}${a.sources.length > 0 ? ": " + a.sources.map((s) => code(s.bundle)).join(", ") : ""}.`, "", `Method: ${plain(a.method)}.`, "");
  return lines.join("\n");
}

function plain(value: string): string {
  return value.replace(/\r\n?|\n/g, " ").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`);
}

function code(value: string): string {
  const v = value.replace(/\r\n?|\n/g, " ").replace(/\|/g, "\\|");
  const fence = "`".repeat(Math.max(0, ...[...v.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  return `${fence}${/^[` ]|[` ]$/.test(v) ? ` ${v} ` : v}${fence}`;
}
