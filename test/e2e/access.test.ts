import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { parse as parseHtml } from "parse5";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../src/compile/dates.js";
import { todayIn } from "../../src/load/as-of.js";
import type { AppliedDocument } from "../../src/model/plan.js";
import type { Holding } from "../../src/review/holdings.js";
import { freePort } from "../support/scim2-server.js";
import { TempProject } from "./support/project.js";

interface Listing {
  users: { externalId: string; userName: string; active: boolean }[];
  groups: { displayName: string; members: string[] }[];
}

type Row = Record<string, string>;
type HtmlNode = { nodeName: string; attrs?: { name: string; value: string }[]; childNodes?: HtmlNode[]; value?: string };

/**
 * The access review through the CLI, after a real apply into the sandbox: `access --owner` and
 * `--manager` in csv, json and html agree with each other, with the sample's known holdings
 * and reason chains and with what the sandbox holds; `since` is the apply's recorded finish
 * from its evidence bundle; a name a spreadsheet would run is defused; `--campaign` writes one
 * file per role owner and per manager; `explain` says why and why not.
 */
describe("rolecall access and explain, end to end", () => {
  let project: TempProject;
  let listing: Listing;
  let applied: { bundle: string; finishedAt: string };
  let groupNames: Record<string, string>;
  const cleanup: string[] = [];
  // The sample's migration grant, made to outlive any day this test runs on.
  const grantExpires = addDays(todayIn("Europe/Berlin"), 60);
  // A joiner whose HR name a spreadsheet would run as a formula.
  const hostile = { id: "W1098", first: "=1+2", last: "Formula" };

  const access = async (...args: string[]) => (await project.ok("access", ...args)).stdout;
  const json = async (...args: string[]) => (JSON.parse(await access(...args, "--format", "json")) as { holdings: Holding[] }).holdings;
  const csv = (text: string) => parseCsv(text, { bom: true, columns: true }) as Row[];

  beforeAll(async () => {
    project = await TempProject.create({ ROLECALL_SANDBOX_PORT: String(await freePort()) });
    const grants = path.join(project.dir, "desired-state", "grants", "2026-q4.yaml");
    const text = await readFile(grants, "utf8");
    expect(text).toContain("granted: 2026-11-16\n    expires: 2026-12-15");
    await writeFile(grants, text.replace("granted: 2026-11-16\n    expires: 2026-12-15", `granted: 2026-11-16\n    expires: ${grantExpires}`));
    const roster = path.join(project.dir, "desired-state", "hr", "roster.csv");
    const eol = (await readFile(roster, "utf8")).includes("\r\n") ? "\r\n" : "\n";
    await writeFile(roster, (await readFile(roster, "utf8")) + `${hostile.id},${hostile.first},${hostile.last},,,Engineering,CC-200,Berlin,Software Engineer,W1009,Employee,Active,2025-01-06,${eol}`);

    // The default evidence folder: the history `access` reads `since` from.
    await project.ok("apply", "--yes");
    const bundles = await readdir(path.join(project.dir, "evidence", "local"));
    expect(bundles).toHaveLength(1);
    const bundle = path.join("evidence", "local", bundles[0]!);
    const doc = JSON.parse(await readFile(path.join(project.dir, bundle, "applied.json"), "utf8")) as AppliedDocument;
    expect(doc.result).toBe("succeeded");
    applied = { bundle, finishedAt: doc.finishedAt! };
    listing = JSON.parse((await project.ok("sandbox", "ls", "--json")).stdout) as Listing;
    const catalog = parseYaml(await readFile(path.join(project.dir, "desired-state", "catalog.yaml"), "utf8")) as { scim: { groups: Record<string, { displayName: string }> } };
    groupNames = Object.fromEntries(Object.entries(catalog.scim.groups).map(([key, g]) => [key, g.displayName]));
  });
  afterAll(async () => {
    await project.run("sandbox", "stop");
    await project.remove();
    await Promise.all(cleanup.map((d) => rm(d, { recursive: true, force: true })));
  });

  /** Per worker, the scim groups the sandbox has them in, by catalog key. */
  const sandboxHoldings = (workers: Iterable<string>) => {
    const keyOf = new Map(Object.entries(groupNames).map(([key, name]) => [name, key]));
    return Object.fromEntries(
      [...workers].map((id) => {
        const user = listing.users.find((u) => u.externalId === id)!;
        return [id, listing.groups.filter((g) => g.members.includes(user.userName)).map((g) => keyOf.get(g.displayName)!).sort()];
      }),
    );
  };
  const scimHoldings = (rows: readonly { holder: string; target: string; entitlement: string }[]) => {
    const by: Record<string, Set<string>> = {};
    for (const r of rows) if (r.target === "scim") (by[r.holder] ??= new Set()).add(r.entitlement);
    return Object.fromEntries(Object.entries(by).map(([id, s]) => [id, [...s].sort()]));
  };

  it("--owner: the roles' holders with the rule and the HR fact, in csv, json and html alike, matching the sandbox", async () => {
    const rows = await json("--owner", "W1009");
    // W1009 owns platform-engineer; the rule platform-team gives it to everyone reporting to W1009.
    expect(new Set(rows.map((r) => r.role))).toEqual(new Set(["platform-engineer"]));
    const holders = new Set(rows.map((r) => r.holder));
    for (const id of ["W1010", "W1011", "W1012", "W1013", hostile.id]) expect(holders).toContain(id);
    expect(new Set(rows.map((r) => `${r.target}:${r.kind}:${r.entitlement}`))).toEqual(new Set(["scim:group:platform-team", "aws:group:platform-admins"]));
    for (const r of rows) {
      expect(r).toMatchObject({ privileged: true, roleOwner: "W1009", manager: "W1009" });
      expect(r.reasons).toEqual([expect.objectContaining({ kind: "rule", rule: "platform-team", matched: { reportsTo: "W1009" }, chain: "HR reportsTo = W1009 → rule platform-team → role platform-engineer" })]);
    }
    // Who the review says holds the Platform Team group is who the sandbox has in it.
    const inSandbox = listing.groups.find((g) => g.displayName === groupNames["platform-team"])!.members;
    const userNames = new Map(listing.users.map((u) => [u.externalId, u.userName]));
    expect(rows.filter((r) => r.target === "scim").map((r) => userNames.get(r.holder)).sort()).toEqual([...inSandbox].sort());

    const table = csv(await access("--owner", "W1009", "--format", "csv"));
    expect(table.map((r) => [r.worker, r.target, r.entitlement, r.role, r.role_owner, r.privileged, r.reason])).toEqual(
      rows.map((r) => [r.holder, r.target, r.entitlement, r.role, r.roleOwner, "yes", r.reasons[0]!.chain]),
    );
    expect(table.every((r) => r.decision === "" && r.comment === "")).toBe(true);
    expect(htmlRows(await access("--owner", "W1009", "--format", "html")).map((c) => [c.holder, c.target, c.entitlement, c.reason])).toEqual(
      rows.map((r) => [r.holder, r.target, r.entitlement, r.reasons[0]!.chain]),
    );
  });

  it("csv: the joiner's formula-like name is defused with a leading quote, every cell quoted", async () => {
    const text = await access("--owner", "W1009", "--format", "csv");
    const names = csv(text).filter((r) => r.worker === hostile.id).map((r) => r.name);
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names)).toEqual(new Set([`'${hostile.first} ${hostile.last}`]));
    for (const line of text.replace(/^\uFEFF/, "").split("\r\n").slice(1, -1)) expect(line.startsWith('"'), line).toBe(true);
  });

  it("--manager: the direct reports' holdings, a grant with its ticket, approver and expiry, in csv, json and html alike, matching the sandbox", async () => {
    const rows = await json("--manager", "W1006");
    expect(new Set(rows.map((r) => r.holder))).toEqual(new Set(["W1038", "W1039", "W1040", "W1041", "W1042"]));
    expect(rows.every((r) => r.manager === "W1006")).toBe(true);
    const finance = rows.filter((r) => r.holder === "W1039" && r.role === "finance");
    expect(finance.length).toBeGreaterThan(0);
    for (const r of finance) {
      expect(r.reasons).toEqual([
        expect.objectContaining({
          kind: "grant",
          grant: expect.objectContaining({ id: "it-finance-migration", ticket: "IAM-4802", approvedBy: "W1004", expires: grantExpires, file: "grants/2026-q4.yaml", line: 11 }),
          chain: `grant it-finance-migration (ticket IAM-4802, approved by W1004 (${r.reasons[0]!.grant!.approverName}), expires ${grantExpires}) → role finance`,
        }),
      ]);
    }
    const admin = rows.find((r) => r.holder === "W1039" && r.target === "scim" && r.entitlement === "it-admins")!;
    expect(admin.reasons).toEqual([expect.objectContaining({ kind: "rule", rule: "it-admins", chain: "HR department = IT, title = IT Engineer → rule it-admins → role it-admin" })]);
    expect(scimHoldings(rows)).toEqual(sandboxHoldings(new Set(rows.map((r) => r.holder))));

    const table = csv(await access("--manager", "W1006", "--format", "csv"));
    expect(table.map((r) => [r.worker, r.manager, r.target, r.entitlement, r.role, r.role_owner, r.reason])).toEqual(
      rows.map((r) => [r.holder, "W1006", r.target, r.entitlement, r.role, r.roleOwner, r.reasons.map((x) => x.chain).join(" | ")]),
    );
    expect(htmlRows(await access("--manager", "W1006", "--format", "html")).map((c) => [c.holder, c.manager, c.entitlement, c.reason])).toEqual(
      rows.map((r) => [r.holder, "W1006", r.entitlement, r.reasons.map((x) => x.chain).join("")]),
    );
  });

  it("since is the apply's recorded finish, from its evidence bundle; a target the stack does not apply says unknown", async () => {
    const rows = await json("--owner", "W1009");
    for (const r of rows) {
      if (r.target === "scim") expect(r.since, `${r.holder} ${r.entitlement}`).toEqual({ at: applied.finishedAt, bundle: applied.bundle });
      else expect(r.since, `${r.holder} ${r.target} ${r.entitlement}`).toBeUndefined();
    }
    const table = csv(await access("--manager", "W1006", "--format", "csv"));
    for (const r of table) expect(r.since, `${r.worker} ${r.target} ${r.entitlement}`).toBe(r.target === "scim" ? applied.finishedAt.slice(0, 10) : "unknown");
  });

  it("--campaign: one file per role owner and one per manager, each naming its reviewer in every row", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "rolecall-campaign-"));
    cleanup.push(dir);
    const all = await json();
    const result = await project.ok("access", "--campaign", dir);
    const owners = new Set(all.map((h) => h.roleOwner));
    const managers = new Set(all.map((h) => h.manager).filter((m): m is string => m !== undefined));
    // The sample's role owners, every one of whom owns a role someone holds.
    expect(owners).toEqual(new Set(["W1002", "W1003", "W1004", "W1005", "W1006", "W1007", "W1009"]));
    const expected = [...[...owners].map((id) => `owner-${id}.csv`), ...[...managers].map((id) => `manager-${id}.csv`)].sort();
    expect((await readdir(dir)).sort()).toEqual(expected);
    expect(result.stdout).toContain(`${expected.length} review files in ${dir}`);
    for (const name of expected) {
      const reviewer = name.slice(name.indexOf("-") + 1, -".csv".length);
      const rows = csv(await readFile(path.join(dir, name), "utf8"));
      const mine = all.filter((h) => (name.startsWith("owner-") ? h.roleOwner : h.manager) === reviewer);
      expect(rows.map((r) => `${r.worker} ${r.target} ${r.entitlement} ${r.role}`), name).toEqual(mine.map((h) => `${h.holder} ${h.target} ${h.entitlement} ${h.role}`));
      expect(rows.every((r) => r.reviewer === reviewer), name).toBe(true);
    }
  });

  it("explain: why someone holds an entitlement, and why someone else does not", async () => {
    const why = await project.ok("explain", "W1039", "it-admins");
    expect(why.stdout).toBe("W1039 holds it-admins:\n  role it-admin\n    because HR department = IT, title = IT Engineer → rule it-admins → role it-admin\n");
    const whyNot = await project.ok("explain", "W1020", "it-admins");
    const lines = whyNot.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("W1020 does not hold it-admins:");
    const rule = lines.find((l) => l.startsWith("  - rule it-admins"))!;
    expect(rule).toContain("rules/departments.yaml:30");
    expect(rule).toContain("department is Engineering, not IT");
    expect(rule).toContain("title is Software Engineer, not one of IT Engineer, Head of IT");
    expect(lines.some((l) => l.includes("no grant") && l.includes("it-admin"))).toBe(true);
    // And the sandbox agrees: W1020 is in no IT Administrators group, W1039 is.
    expect(sandboxHoldings(["W1039"]).W1039).toContain("it-admins");
    expect(sandboxHoldings(["W1020"]).W1020).not.toContain("it-admins");
  });
});

/** The holdings table's rows, each cell by its class. */
function htmlRows(html: string): Row[] {
  const children = (n: HtmlNode) => n.childNodes ?? [];
  const attr = (n: HtmlNode, name: string) => n.attrs?.find((a) => a.name === name)?.value;
  const text = (n: HtmlNode): string => (n.nodeName === "#text" ? (n.value ?? "") : children(n).map(text).join(""));
  const find = (n: HtmlNode, pred: (n: HtmlNode) => boolean): HtmlNode | undefined => (pred(n) ? n : children(n).map((c) => find(c, pred)).find(Boolean));
  const doc = parseHtml(html) as unknown as HtmlNode;
  const body = find(find(doc, (n) => n.nodeName === "table" && attr(n, "id") === "holdings")!, (n) => n.nodeName === "tbody")!;
  return children(body)
    .filter((n) => n.nodeName === "tr")
    .map((tr) => Object.fromEntries(children(tr).filter((n) => n.nodeName === "td").map((td) => [attr(td, "class")!, text(td)])));
}
