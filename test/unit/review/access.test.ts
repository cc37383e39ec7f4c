import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { parse as parseHtml } from "parse5";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { sha256 } from "../../../src/evidence/bundle.js";
import { HistoryError } from "../../../src/evidence/history.js";
import { loadDesiredState } from "../../../src/load/desired-state-dir.js";
import { campaignFiles } from "../../../src/review/campaign.js";
import { readAppliedRuns, sinceIndex } from "../../../src/review/history.js";
import { filterHoldings, holdingsOf, type Holding } from "../../../src/review/holdings.js";
import { renderHoldings } from "../../../src/review/render.js";

const asOf = "2026-11-25";
const inputs = await loadDesiredState("desired-state");
const desired = compile(inputs, asOf);
const unknown = () => undefined;
const all = holdingsOf(desired, inputs, unknown);
const header = { title: "review", asOf, inputs: desired.inputs };

describe("rolecall access over the sample organisation", () => {
  it("--owner: every holding of the roles the owner owns, with the rule and the HR fact behind it", () => {
    const rows = filterHoldings(all, { owner: "W1009" });
    // W1009 owns platform-engineer; the rule platform-team gives it to everyone reporting to W1009.
    expect(new Set(rows.map((r) => r.role))).toEqual(new Set(["platform-engineer"]));
    expect(new Set(rows.map((r) => r.holder))).toEqual(new Set(["W1010", "W1011", "W1012", "W1013"]));
    expect(new Set(rows.map((r) => `${r.target}:${r.kind}:${r.entitlement}`))).toEqual(new Set(["scim:group:platform-team", "aws:group:platform-admins"]));
    for (const r of rows) {
      expect(r.privileged).toBe(true);
      expect(r.roleOwner).toBe("W1009");
      expect(r.reasons).toEqual([expect.objectContaining({ kind: "rule", rule: "platform-team", matched: { reportsTo: "W1009" } })]);
    }
  });

  it("--manager: the direct reports' holdings, a grant with its ticket, approver and expiry", () => {
    const rows = filterHoldings(all, { manager: "W1006" });
    expect(new Set(rows.map((r) => r.holder))).toEqual(new Set(["W1038", "W1039", "W1040", "W1041", "W1042"]));
    const finance = rows.filter((r) => r.holder === "W1039" && r.role === "finance");
    expect(finance.length).toBeGreaterThan(0);
    expect(finance[0]!.reasons).toEqual([
      expect.objectContaining({ kind: "grant", grant: expect.objectContaining({ id: "it-finance-migration", ticket: "IAM-4802", approvedBy: "W1004", expires: "2026-12-15", file: "grants/2026-q4.yaml", line: 11 }) }),
    ]);
    expect(finance[0]!.reasons[0]!.chain).toContain("approved by W1004");
  });

  it("--person: an included role shows the whole chain, from the HR fact to the included role", () => {
    const rows = filterHoldings(all, { person: "W1011", group: "scim:engineering" });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ role: "engineer", roleOwner: "W1002", manager: "W1009" });
    expect(rows[0]!.reasons).toEqual([expect.objectContaining({ kind: "include", via: ["platform-engineer"] })]);
    expect(rows[0]!.reasons[0]!.chain).toBe("HR reportsTo = W1009 → rule platform-team → role platform-engineer → includes engineer");
  });

  it("--group: everyone holding an entitlement, in any target or in one", () => {
    const anywhere = filterHoldings(all, { group: "it-admins" });
    const scimOnly = filterHoldings(all, { group: "scim:it-admins" });
    const admins = desired.targets.scim!.groups.find((g) => g.key === "it-admins")!.members.map((m) => m.user);
    expect(new Set(scimOnly.map((r) => r.holder))).toEqual(new Set(admins));
    expect(new Set(anywhere.map((r) => r.target))).toEqual(new Set(["scim", "okta"]));
    expect(filterHoldings(all, { group: "it-admins", person: "W1020" })).toEqual([]);
  });

  it("says unknown for since when there is no history, never a date", () => {
    expect(all.every((h) => h.since === undefined)).toBe(true);
    const csv = rowsOf(renderHoldings(filterHoldings(all, { person: "W1011" }), header, "csv"));
    expect(new Set(csv.map((r) => r.since))).toEqual(new Set(["unknown"]));
  });
});

function rowsOf(csv: string): Record<string, string>[] {
  return parseCsv(csv, { bom: true, columns: true }) as Record<string, string>[];
}

describe("access review outputs", () => {
  const rows = filterHoldings(all, { owner: "W1004" });

  it("csv: one quoted row per holding, parseable back to the same values", () => {
    const parsed = rowsOf(renderHoldings(rows, header, "csv"));
    expect(parsed).toHaveLength(rows.length);
    expect(parsed.map((r) => `${r.worker} ${r.target} ${r.entitlement} ${r.role}`)).toEqual(rows.map((r) => `${r.holder} ${r.target} ${r.entitlement} ${r.role}`));
    expect(parsed.find((r) => r.worker === "W1039")!.reason).toContain("grant it-finance-migration");
    expect(parsed.every((r) => r.decision === "" && r.role_owner === "W1004")).toBe(true);
  });

  it("csv: cells a spreadsheet would run as formulas are prefixed with a quote (OWASP)", () => {
    const hostile: Holding[] = ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "plain, with \"quotes\""].map((name, i) => ({ ...rows[0]!, holder: `W${i}`, name }));
    const text = renderHoldings(hostile, header, "csv");
    const names = rowsOf(text).map((r) => r.name);
    expect(names).toEqual(["'=HYPERLINK(\"http://x\")", "'+1", "'-2+3", "'@SUM(A1)", "'\tcmd", "'\rcmd", "plain, with \"quotes\""]);
    for (const line of text.split("\r\n").slice(1, -1)) expect(line.startsWith('"')).toBe(true);
  });

  it("json: the holdings with their structured reasons and the inputs they were compiled from", () => {
    const doc = JSON.parse(renderHoldings(rows, header, "json")) as { asOf: string; inputs: unknown[]; holdings: Holding[] };
    expect(doc.asOf).toBe(asOf);
    expect(doc.inputs).toEqual(desired.inputs);
    expect(doc.holdings).toHaveLength(rows.length);
    const ruleRow = doc.holdings.find((h) => h.holder === "W1004" && h.target === "scim")!;
    expect(ruleRow.reasons).toEqual([expect.objectContaining({ kind: "rule", rule: "finance", matched: { department: "Finance" } })]);
  });

  it("html: a table with one row per holding, every value escaped", () => {
    const hostile = [...rows, { ...rows[0]!, holder: "W9", name: "<script>alert(1)</script>" }];
    const doc = parseHtml(renderHoldings(hostile, { ...header, title: "Review <b>" }, "html"));
    const table = find(doc, (n) => n.nodeName === "table" && attr(n, "id") === "holdings")!;
    const body = find(table, (n) => n.nodeName === "tbody")!;
    const trs = children(body).filter((n) => n.nodeName === "tr");
    expect(trs).toHaveLength(hostile.length);
    const cells = trs.map((tr) => Object.fromEntries(children(tr).filter((n) => n.nodeName === "td").map((td) => [attr(td, "class"), text(td)])));
    expect(cells.map((c) => `${c.holder} ${c.entitlement}`)).toEqual(hostile.map((r) => `${r.holder} ${r.entitlement}`));
    expect(cells.at(-1)!.name).toBe("<script>alert(1)</script>");
    expect(find(doc, (n) => n.nodeName === "script")).toBeUndefined();
    expect(cells.find((c) => c.holder === "W1039" && c.role?.startsWith("finance"))!.reason).toContain("ticket IAM-4802");
  });

  it("campaign: one file per role owner and one per manager, each row naming its reviewer", () => {
    const files = campaignFiles(all, { asOf, inputs: desired.inputs }, "csv");
    const owners = new Set(inputs.roles.map((r) => r.value.owner));
    const managers = new Set(all.map((h) => h.manager).filter(Boolean));
    expect(new Set(files.filter((f) => f.name.startsWith("owner-")).map((f) => f.reviewer))).toEqual(owners);
    expect(new Set(files.filter((f) => f.name.startsWith("manager-")).map((f) => f.reviewer))).toEqual(managers);
    const w1009 = rowsOf(files.find((f) => f.name === "owner-W1009.csv")!.content);
    expect(w1009.every((r) => r.reviewer === "W1009" && r.role === "platform-engineer")).toBe(true);
    const reports = rowsOf(files.find((f) => f.name === "manager-W1009.csv")!.content);
    expect(new Set(reports.map((r) => r.worker))).toEqual(new Set(filterHoldings(all, { manager: "W1009" }).map((h) => h.holder)));
  });
});

describe("since when, from the evidence history", () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  const access = (target: string, item: string) => ({ target, kind: "group", item, because: [] });
  async function bundle(root: string, name: string, people: { id: string; gains?: string[]; losses?: string[] }[], applied?: { result: string; finishedAt: string; digest?: string }) {
    const dir = path.join(root, name);
    await mkdir(dir, { recursive: true });
    const digest = `digest-${name}`;
    const files: Record<string, string> = { "plan.json": JSON.stringify({ digest, people: people.map((p) => ({ id: p.id, gains: (p.gains ?? []).map((g) => access("scim", g)), losses: (p.losses ?? []).map((g) => access("scim", g)) })) }) };
    if (applied) files["applied.json"] = JSON.stringify({ planDigest: applied.digest ?? digest, finishedAt: applied.finishedAt, result: applied.result });
    await seal(dir, files);
  }
  /** Writes the files and their files.json, as a bundle is written. */
  async function seal(dir: string, files: Record<string, string>) {
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    await writeFile(path.join(dir, "files.json"), JSON.stringify({ files: Object.fromEntries(Object.entries(files).map(([name, text]) => [name, sha256(text)])) }));
  }
  async function history(): Promise<string> {
    const root = await mkdtemp(path.join(os.tmpdir(), "rolecall-history-"));
    dirs.push(root);
    return root;
  }

  it("is the apply that last gave it; plans never applied, failed applies and later losses count as they should", async () => {
    const root = await history();
    await bundle(root, "20261101T080000Z", [{ id: "W1011", gains: ["platform-team", "engineering"] }, { id: "W1012", gains: ["platform-team"] }], { result: "succeeded", finishedAt: "2026-11-01T08:01:00.000Z" });
    await bundle(root, "20261105T080000Z", [{ id: "W1013", gains: ["platform-team"] }]); // previewed, never applied
    await bundle(root, "20261106T080000Z", [{ id: "W1013", gains: ["platform-team"] }], { result: "failed", finishedAt: "2026-11-06T08:01:00.000Z" });
    await bundle(root, "20261110T080000Z", [{ id: "W1012", losses: ["platform-team"] }], { result: "succeeded", finishedAt: "2026-11-10T08:01:00.000Z" });
    await bundle(root, "20261120T080000Z", [{ id: "W1012", gains: ["platform-team"] }], { result: "succeeded", finishedAt: "2026-11-20T08:01:00.000Z" });
    const since = sinceIndex(await readAppliedRuns(root, root));
    const rows = holdingsOf(desired, inputs, since);
    const at = (holder: string, group: string) => rows.find((r) => r.holder === holder && r.target === "scim" && r.entitlement === group)!.since;
    expect(at("W1011", "platform-team")).toEqual({ at: "2026-11-01T08:01:00.000Z", bundle: "20261101T080000Z" });
    expect(at("W1011", "engineering")?.at).toBe("2026-11-01T08:01:00.000Z");
    expect(at("W1012", "platform-team")?.at).toBe("2026-11-20T08:01:00.000Z");
    expect(at("W1013", "platform-team")).toBeUndefined();
    expect(at("W1010", "platform-team")).toBeUndefined();
  });

  it("refuses a history with a hole or an edit: an applied bundle whose plan is missing, belongs to another digest, or was edited", async () => {
    const root = await history();
    await bundle(root, "a", [], { result: "succeeded", finishedAt: "2026-11-01T00:00:00Z", digest: "other" });
    await expect(readAppliedRuns(root, root)).rejects.toBeInstanceOf(HistoryError);
    const second = await history();
    await mkdir(path.join(second, "b"));
    await seal(path.join(second, "b"), { "applied.json": JSON.stringify({ planDigest: "x", finishedAt: "2026-11-01T00:00:00Z", result: "succeeded" }) });
    await expect(readAppliedRuns(second, second)).rejects.toMatchObject({ file: "b/plan.json" });
    const third = await history();
    await bundle(third, "c", [], { result: "succeeded", finishedAt: "2026-11-01T00:00:00Z" });
    await writeFile(path.join(third, "c", "plan.json"), JSON.stringify({ digest: "digest-c", people: [{ id: "W1011", gains: [access("scim", "it-admins")], losses: [] }] }));
    await expect(readAppliedRuns(third, third)).rejects.toMatchObject({ file: "c/plan.json", message: expect.stringMatching(/changed after it was written/) });
  });
});

type Node = { nodeName: string; attrs?: { name: string; value: string }[]; childNodes?: Node[]; value?: string };
function children(n: unknown): Node[] {
  return (n as Node).childNodes ?? [];
}
function attr(n: Node, name: string): string | undefined {
  return n.attrs?.find((a) => a.name === name)?.value;
}
function find(n: unknown, pred: (n: Node) => boolean): Node | undefined {
  const node = n as Node;
  if (pred(node)) return node;
  for (const c of children(node)) {
    const hit = find(c, pred);
    if (hit) return hit;
  }
  return undefined;
}
function text(n: Node): string {
  return n.nodeName === "#text" ? (n.value ?? "") : children(n).map(text).join("");
}
