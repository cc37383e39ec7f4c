import { stringify } from "csv-stringify/sync";
import type { Holding } from "./holdings.js";

export const ACCESS_FORMATS = ["text", "csv", "json", "html"] as const;
export type AccessFormat = (typeof ACCESS_FORMATS)[number];

/** What a review view says about itself: the date it is as of, its scope, who certifies it. */
export interface ReviewHeader {
  title: string;
  asOf: string;
  /** The desired-state inputs it was compiled from (path and sha256), so a review can be tied to a commit. */
  inputs: { path: string; sha256: string }[];
  /** Worker ID of the person asked to certify these rows (campaign files). */
  reviewer?: string;
}

/** The review columns, in order. `decision` (keep | revoke) and `comment` are the reviewer's. */
export const CSV_COLUMNS = [
  "reviewer",
  "worker",
  "name",
  "state",
  "manager",
  "target",
  "kind",
  "entitlement",
  "role",
  "privileged",
  "role_owner",
  "reason",
  "since",
  "decision",
  "comment",
] as const;

export function sinceText(h: Holding): string {
  return h.since ? h.since.at.slice(0, 10) : "unknown";
}

function reasonText(h: Holding): string {
  return h.reasons.map((r) => r.chain).join(" | ") || "no reason recorded";
}

export function renderHoldings(rows: readonly Holding[], header: ReviewHeader, format: AccessFormat): string {
  switch (format) {
    case "csv":
      return renderCsv(rows, header);
    case "json":
      return JSON.stringify({ ...header, holdings: rows }, null, 2) + "\n";
    case "html":
      return renderHtml(rows, header);
    case "text":
      return renderText(rows, header);
  }
}

/**
 * CSV for spreadsheets: every text cell quoted, and any cell a spreadsheet would run as a
 * formula (starting with = + - @, tab or CR) prefixed with a quote, as OWASP advises — names
 * and reasons come from HR exports and pull requests, which anyone may have typed into.
 * A BOM so Excel reads UTF-8 names as written.
 */
export function renderCsv(rows: readonly Holding[], header: ReviewHeader): string {
  const records = rows.map((h) => ({
    reviewer: header.reviewer ?? "",
    worker: h.holder,
    name: h.name,
    state: h.state,
    manager: h.manager ?? "",
    target: h.target,
    kind: h.kind,
    entitlement: h.entitlement,
    role: h.role,
    privileged: h.privileged ? "yes" : "no",
    role_owner: h.roleOwner,
    reason: reasonText(h),
    since: sinceText(h),
    decision: "",
    comment: "",
  }));
  return stringify(records, { header: true, columns: [...CSV_COLUMNS], quoted_string: true, escape_formulas: true, bom: true, record_delimiter: "windows" });
}

function renderText(rows: readonly Holding[], header: ReviewHeader): string {
  const lines = [`${header.title} (as of ${header.asOf}): ${rows.length} holding${rows.length === 1 ? "" : "s"}`];
  let current = "";
  for (const h of rows) {
    if (h.holder !== current) {
      current = h.holder;
      const manager = h.manager ? `, ${h.holderKind === "person" ? "manager" : "owner"} ${h.manager}${h.managerName ? ` ${h.managerName}` : ""}` : "";
      lines.push("", `${h.holder} ${h.name} (${h.state}${manager})`);
    }
    const owner = `owner ${h.roleOwner}${h.roleOwnerName ? ` ${h.roleOwnerName}` : ""}`;
    lines.push(`  ${h.target} ${h.kind} ${h.entitlement} ← role ${h.role}${h.privileged ? " [privileged]" : ""} (${owner}) since ${sinceText(h)}`);
    for (const r of h.reasons) lines.push(`      because ${r.chain}`);
  }
  return lines.join("\n") + "\n";
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** One self-contained page: a table a reviewer can read, filter by eye and print. Every value escaped. */
function renderHtml(rows: readonly Holding[], header: ReviewHeader): string {
  const cells = (h: Holding) =>
    [
      `<td class="holder">${esc(h.holder)}</td>`,
      `<td class="name">${esc(h.name)}</td>`,
      `<td class="state">${esc(h.state)}</td>`,
      `<td class="manager">${esc(h.manager ?? "")}</td>`,
      `<td class="target">${esc(h.target)}</td>`,
      `<td class="kind">${esc(h.kind)}</td>`,
      `<td class="entitlement">${esc(h.entitlement)}</td>`,
      `<td class="role">${esc(h.role)}${h.privileged ? ` <strong class="privileged">privileged</strong>` : ""}</td>`,
      `<td class="owner">${esc(h.roleOwner)}${h.roleOwnerName ? ` ${esc(h.roleOwnerName)}` : ""}</td>`,
      `<td class="reason">${h.reasons.map((r) => `<div data-kind="${esc(r.kind)}">${esc(r.chain)}</div>`).join("")}</td>`,
      `<td class="since">${esc(sinceText(h))}</td>`,
    ].join("");
  return [
    "<!doctype html>",
    `<html lang="en">`,
    "<head>",
    `<meta charset="utf-8">`,
    `<title>${esc(header.title)} · as of ${esc(header.asOf)}</title>`,
    "<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f3f3f3}.privileged{color:#b00}@media print{body{margin:0}}</style>",
    "</head>",
    "<body>",
    `<h1>${esc(header.title)}</h1>`,
    `<p>As of <time>${esc(header.asOf)}</time>${header.reviewer ? ` · reviewer <span class="reviewer">${esc(header.reviewer)}</span>` : ""} · ${rows.length} holdings · compiled from ${header.inputs.length} desired-state files.</p>`,
    `<table id="holdings">`,
    "<thead><tr><th>Worker</th><th>Name</th><th>State</th><th>Manager</th><th>Target</th><th>Kind</th><th>Entitlement</th><th>Role</th><th>Role owner</th><th>Why</th><th>Since</th></tr></thead>",
    "<tbody>",
    ...rows.map((h) => `<tr>${cells(h)}</tr>`),
    "</tbody>",
    "</table>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
