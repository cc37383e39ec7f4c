import type { Finding } from "../model/finding.js";
import type { Located, Worker } from "../model/person.js";
import { effectiveEndDate } from "./lifecycle.js";

/**
 * HR exports carry history: a rehire may keep the row of an earlier employment, a converted
 * contractor may keep the record of the old contract. What has ended no longer decides
 * anyone's access today, so it must not stop everyone else from being compiled: such a row
 * is a warning on that row. Only what is ambiguous now stays an error.
 */

/** Whether a row's employment is over on the as-of date (terminated, or its end date passed). */
export function hasEnded(worker: Worker, asOf: string): boolean {
  const end = effectiveEndDate(worker);
  return worker.status === "terminated" || (end !== undefined && end < asOf);
}

/** The current rows, and where each worker ID's is among them. */
export interface CurrentRows {
  rows: Located<Worker>[];
  findings: Finding[];
  /**
   * Worker ID → index in `rows`: the one lookup by worker ID compile needs; every stage after
   * works on rows (and arrays aligned with them) by index.
   */
  rowOf: ReadonlyMap<string, number>;
  /** The indexes of `rows` in worker-ID order (code units): sorted once, for every stage that reports or writes in that order. */
  idOrder: readonly number[];
  /**
   * Aligned with `rows`: the index of each one's manager, -1 for none or one not in the export.
   * Looked up once here for the integrity checks and the org chart, which each did it by themselves.
   */
  managerRow: readonly number[];
}

/**
 * The row that stands for each worker ID, in roster order. Several rows for one ID are one
 * person's employments: the one that has not ended is the person now, the ended ones are
 * history (a warning each). Two rows that have not ended are two claims on one identity —
 * an error. When every row has ended, the latest employment stands.
 */
export function currentRows(roster: readonly Located<Worker>[], asOf: string): CurrentRows {
  // The usual export has one row per worker ID: then every row stands, with nothing to say.
  const rowOf = new Map<string, number>();
  for (const [i, row] of roster.entries()) {
    rowOf.set(row.value.workerId, i);
    if (rowOf.size === i) return currentOfRepeated(roster, asOf);
  }
  const rows = [...roster];
  return { rows, findings: [], rowOf, idOrder: inIdOrder(rows), managerRow: managerRows(rows, rowOf) };
}

function currentOfRepeated(roster: readonly Located<Worker>[], asOf: string): CurrentRows {
  const byId = new Map<string, Located<Worker>[]>();
  for (const row of roster) {
    const rows = byId.get(row.value.workerId);
    if (rows) rows.push(row);
    else byId.set(row.value.workerId, [row]);
  }
  const findings: Finding[] = [];
  const chosen = new Set<Located<Worker>>();
  for (const [workerId, rows] of byId) {
    if (rows.length === 1) {
      chosen.add(rows[0]!);
      continue;
    }
    const open = rows.filter((r) => !hasEnded(r.value, asOf));
    if (open.length > 1) {
      const [first, ...others] = open;
      chosen.add(first!);
      for (const row of others) {
        findings.push({
          severity: "error",
          code: "duplicate-worker",
          message: `worker ID ${workerId} has two current rows (also at line ${first!.at.line})`,
          ...row.at,
          hint: "each worker has one current row; end the earlier employment (status terminated or an end date) or correct the worker ID",
        });
      }
      continue;
    }
    const current = open[0] ?? latest(rows);
    chosen.add(current);
    for (const row of rows.filter((r) => r !== current)) {
      findings.push({
        severity: "warning",
        code: "stale-row",
        message: `worker ${workerId}: this row is an earlier, ended employment; the row at line ${current.at.line} is used`,
        ...row.at,
        hint: "HR may drop ended employments from the export; nothing to do otherwise",
      });
    }
  }
  const rows = roster.filter((r) => chosen.has(r));
  const rowOf = new Map(rows.map((r, i) => [r.value.workerId, i]));
  return { rows, findings, rowOf, idOrder: inIdOrder(rows), managerRow: managerRows(rows, rowOf) };
}

function managerRows(rows: readonly Located<Worker>[], rowOf: ReadonlyMap<string, number>): number[] {
  return rows.map(({ value: { managerId } }) => (managerId === undefined ? -1 : (rowOf.get(managerId) ?? -1)));
}

/** An export in worker-ID order sorts in one pass. */
function inIdOrder(rows: readonly Located<Worker>[]): number[] {
  const ids = rows.map((r) => r.value.workerId);
  return ids.map((_, i) => i).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
}

/** The employment that started last (then: the later row). */
function latest(rows: Located<Worker>[]): Located<Worker> {
  return rows.reduce((a, b) => (b.value.startDate >= a.value.startDate ? b : a));
}

/**
 * Emails two rows share. Two people with accounts and one email would be one account in every
 * target: refused, an error on each holder after the first in worker-ID order. A row whose
 * account is no longer declared (an ended contract past its grace) sharing an email with
 * someone who has an account is history, the email is the new one's: a warning on the old row.
 * One map of the declared emails answers both.
 */
export function emailCollisions(
  rows: readonly Located<Worker>[],
  idOrder: readonly number[],
  /** Aligned with rows: whether each has an account, and its identity. */
  declared: readonly boolean[],
  identities: readonly { email: string }[],
): Finding[] {
  const findings: Finding[] = [];
  // Email → its first declared holder in worker-ID order, who keeps it.
  const holder = new Map<string, number>();
  // For an email declared more than once: its last holder in row order, whom the stale-row warning has always named.
  let lastHolder: Map<string, number> | undefined;
  for (const i of idOrder) {
    if (!declared[i]) continue;
    const email = identities[i]!.email;
    const first = holder.get(email);
    if (first === undefined) {
      holder.set(email, i);
      continue;
    }
    const { value: worker, at } = rows[i]!;
    findings.push({ severity: "error", code: "duplicate-email", message: `${worker.workerId} and ${rows[first]!.value.workerId} would both have the email ${email}`, ...at, hint: "correct the work email in the HR export (a converted contractor may still have an old record)" });
    lastHolder ??= new Map();
    lastHolder.set(email, Math.max(lastHolder.get(email) ?? first, i));
  }
  rows.forEach(({ value, at }, i) => {
    if (declared[i]) return;
    const email = identities[i]!.email;
    const first = holder.get(email);
    if (first === undefined) return;
    const owner = rows[lastHolder?.get(email) ?? first]!.value.workerId;
    findings.push({
      severity: "warning",
      code: "stale-duplicate-email",
      message: `worker ${value.workerId} has no account any more and shares the email ${email} with ${owner}, who keeps it`,
      ...at,
      hint: "the old record is history (a converted contractor's ended contract); HR may correct or drop it",
    });
  });
  return findings;
}
