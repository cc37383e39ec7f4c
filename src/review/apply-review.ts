import { parse } from "csv-parse/sync";
import { isMap, isSeq, parseDocument, type YAMLSeq } from "yaml";
import type { DesiredState } from "../model/desired-state.js";
import type { Exclusion } from "../model/exclusion.js";
import type { Finding } from "../model/finding.js";
import type { Grant } from "../model/grant.js";
import type { Inputs } from "../model/inputs.js";
import type { Located } from "../model/person.js";

/** A review file larger than this is not a review someone filled in by hand. */
export const MAX_REVIEW_BYTES = 10 * 1024 * 1024;

export interface ReviewDecision {
  reviewer: string;
  worker: string;
  role: string;
  decision: "keep" | "revoke";
  comment: string;
  line: number;
}

/** The prefix `renderCsv` puts before a cell a spreadsheet would run as a formula. */
const FORMULA_ESCAPED = /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const unescape = (cell: string) => (FORMULA_ESCAPED.test(cell) ? cell.slice(1) : cell).trim();

/**
 * Reads a reviewer's CSV (as `rolecall access --format csv` wrote it, edited in a
 * spreadsheet): every row with a decision, `keep` or `revoke`; an empty decision is none.
 * Anything else — an unknown word, a missing column, bad CSV — is an error at its line.
 */
export function parseReview(file: string, text: string): { decisions: ReviewDecision[]; findings: Finding[] } {
  const findings: Finding[] = [];
  if (Buffer.byteLength(text) > MAX_REVIEW_BYTES) return { decisions: [], findings: [{ severity: "error", code: "review-too-large", message: `${file} is larger than ${MAX_REVIEW_BYTES} bytes`, file, hint: "split the review by owner or manager (rolecall access --campaign)" }] };
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, columns: true, skip_empty_lines: true, relax_column_count: false, info: true, trim: false }) as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return { decisions: [], findings: [{ severity: "error", code: "review-csv", message: `${file} is not valid CSV: ${(error as Error).message.split("\n")[0]}`, file, ...(line ? { line } : {}), hint: "save the review as CSV (comma-separated, UTF-8) from the spreadsheet" }] };
  }
  const first = records[0]?.record ?? {};
  const missing = ["reviewer", "worker", "role", "decision"].filter((c) => !(c in first));
  if (records.length > 0 && missing.length > 0) {
    return { decisions: [], findings: [{ severity: "error", code: "review-columns", message: `${file} lacks the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`, file, line: 1, hint: "start from a file written by rolecall access --format csv and keep its columns" }] };
  }
  const decisions: ReviewDecision[] = [];
  for (const { record, info } of records) {
    const decision = unescape(record.decision ?? "").toLowerCase();
    if (decision === "") continue;
    const line = info.lines;
    if (decision !== "keep" && decision !== "revoke") {
      findings.push({ severity: "error", code: "review-decision", message: `decision '${decision}' is neither keep nor revoke`, file, line, hint: "write keep or revoke, or leave it empty" });
      continue;
    }
    const reviewer = unescape(record.reviewer ?? "");
    if (reviewer === "") {
      findings.push({ severity: "error", code: "review-no-reviewer", message: `a ${decision} decision without a reviewer`, file, line, hint: "put the reviewer's worker ID in the reviewer column" });
      continue;
    }
    decisions.push({ reviewer, worker: unescape(record.worker ?? ""), role: unescape(record.role ?? ""), decision, comment: unescape(record.comment ?? ""), line });
  }
  return { decisions, findings };
}

export interface ReviewChanges {
  /** Grants to delete from grants/*.yaml. */
  removeGrants: Located<Grant>[];
  /** Exclusions to add for rule-earned roles. */
  exclusions: Exclusion[];
  /** What was revoked, and how, for the pull request's description. */
  summary: string[];
  findings: Finding[];
}

/**
 * Turns revoke decisions into desired-state changes: a role held through a grant loses the
 * grant; a role held through rules (or a role that includes it) gets an exclusion naming the
 * reviewer, the day, the comment and the review file. One person's role both kept and
 * revoked in one review is an error at both lines; so is a reviewer who is not an active
 * worker, a role that does not exist, and a service account (its roles are its own file's).
 */
export function reviewChanges(decisions: readonly ReviewDecision[], desired: DesiredState, inputs: Inputs, reviewFile: string, ticket: string | undefined): ReviewChanges {
  const findings: Finding[] = [];
  const summary: string[] = [];
  const byKey = new Map<string, ReviewDecision[]>();
  for (const d of decisions) byKey.set(`${d.worker}\u0000${d.role}`, [...(byKey.get(`${d.worker}\u0000${d.role}`) ?? []), d]);
  const people = new Map(desired.people.map((p) => [p.id, p]));
  const roles = new Set(inputs.roles.map((r) => r.value.id));
  const grants = new Map(inputs.grants.map((g) => [g.value.id, g]));
  const removeGrants = new Map<string, Located<Grant>>();
  const exclusions: Exclusion[] = [];
  const at = (d: ReviewDecision) => ({ file: reviewFile, line: d.line });

  for (const group of byKey.values()) {
    const revokes = group.filter((d) => d.decision === "revoke");
    if (revokes.length === 0) continue;
    const keeps = group.filter((d) => d.decision === "keep");
    const d = revokes[0]!;
    if (keeps.length > 0) {
      for (const x of [...revokes, ...keeps]) findings.push({ severity: "error", code: "review-conflict", message: `${d.worker}'s role ${d.role} is both kept (line ${keeps.map((k) => k.line).join(", ")}) and revoked (line ${revokes.map((r) => r.line).join(", ")})`, ...at(x), hint: "decide once per person and role" });
      continue;
    }
    const reviewer = people.get(d.reviewer);
    if (!reviewer || reviewer.state !== "active") {
      findings.push({ severity: "error", code: "review-reviewer-inactive", message: `reviewer ${d.reviewer} is ${reviewer ? reviewer.state : "not in the HR roster"}`, ...at(d), hint: "the reviewer must be an active worker (their worker ID)" });
      continue;
    }
    if (!roles.has(d.role)) {
      findings.push({ severity: "error", code: "review-unknown-role", message: `role '${d.role}' does not exist`, ...at(d), hint: "keep the role column as rolecall wrote it" });
      continue;
    }
    const person = people.get(d.worker);
    if (!person) {
      const account = desired.serviceAccounts.find((s) => s.key === d.worker || s.id === d.worker);
      findings.push(
        account
          ? { severity: "error", code: "review-service-account", message: `${d.worker} is a service account: remove role ${d.role} from its roles in service-accounts/ by hand`, ...at(d), hint: "or leave its decision empty here" }
          : { severity: "warning", code: "review-not-held", message: `${d.worker} is not in the HR roster any more; nothing to revoke`, ...at(d) },
      );
      continue;
    }
    const held = person.roles.find((h) => h.role === d.role);
    if (!held) {
      findings.push({ severity: "info", code: "review-not-held", message: `${d.worker} no longer holds role ${d.role}; nothing to revoke`, ...at(d) });
      continue;
    }
    for (const reason of held.reasons.filter((r) => r.kind === "grant")) {
      const grant = grants.get(reason.grant);
      if (grant) {
        removeGrants.set(grant.value.id, grant);
        summary.push(`${d.worker} ${d.role}: grant ${grant.value.id} removed (${grant.at.file}:${grant.at.line}), revoked by ${d.reviewer}`);
      }
    }
    if (held.reasons.some((r) => r.kind !== "grant")) {
      const reason = d.comment || "revoked in an access review";
      exclusions.push({ worker: d.worker, role: d.role, reason, ...(ticket ? { ticket } : {}), decidedBy: d.reviewer, decided: desired.asOf, review: reviewFile });
      summary.push(`${d.worker} ${d.role}: excluded from the rules that give it (${held.reasons.filter((r) => r.kind !== "grant").map((r) => (r.kind === "rule" ? `rule ${r.rule}` : r.kind === "include" ? `included by ${r.via.join(" → ")}` : r.kind)).join(", ")}), revoked by ${d.reviewer}`);
    }
  }
  return { removeGrants: [...removeGrants.values()], exclusions, summary, findings };
}

/** Options that keep a file's lines as they were: no folding of long strings. */
const KEEP_FORMAT = { lineWidth: 0 } as const;

/** grants/*.yaml text without the grants of these ids; comments and formatting kept. */
export function removeGrantsFromYaml(text: string, ids: ReadonlySet<string>): string {
  const doc = parseDocument(text, { keepSourceTokens: true });
  const seq = doc.get("grants", true);
  if (!isSeq(seq)) return text;
  const kept = (seq as YAMLSeq).items.filter((item) => !(isMap(item) && ids.has(String(item.get("id")))));
  (seq as YAMLSeq).items = kept;
  if (kept.length === 0) seq.flow = true;
  return doc.toString(KEEP_FORMAT);
}

const EXCLUSIONS_HEADER = [
  "# yaml-language-server: $schema=../../schemas/exclusions.schema.json",
  "# Roles taken away in access reviews: each worker keeps no rule-earned access to the role.",
  "# Written by `rolecall access apply-review`; the review file is under reviews/.",
  "exclusions: []",
  "",
].join("\n");

/** exclusions/*.yaml text (or a new file) with these exclusions appended. */
export function appendExclusions(text: string | undefined, exclusions: readonly Exclusion[]): string {
  const doc = parseDocument(text ?? EXCLUSIONS_HEADER);
  let seq = doc.get("exclusions", true);
  if (!isSeq(seq)) {
    doc.set("exclusions", doc.createNode([]));
    seq = doc.get("exclusions", true);
  }
  const list = seq as YAMLSeq;
  list.flow = false;
  for (const e of exclusions) list.items.push(doc.createNode(e));
  return doc.toString(KEEP_FORMAT);
}
