import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { loadDesiredState } from "../../../src/load/desired-state-dir.js";
import { TempProject } from "../../e2e/support/project.js";

const asOf = "2026-11-25";
const run = promisify(execFile);

/** A review as a reviewer returns it: rolecall's CSV, a few decisions filled in by a spreadsheet. */
function decide(csv: string, decisions: Record<string, { decision: string; comment?: string }>): string {
  const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
  for (const r of rows) {
    const d = decisions[`${r.worker} ${r.role}`] ?? decisions[`${r.worker} ${r.role} ${r.target}`];
    if (d) Object.assign(r, { reviewer: "W1004", decision: d.decision, comment: d.comment ?? "" });
  }
  return stringify(rows, { header: true, columns: Object.keys(rows[0]!) });
}

// Each case runs the CLI several times; on a shared 2-core machine that takes a while.
describe("rolecall access apply-review", { timeout: 240_000 }, () => {
  let project: TempProject;
  let csv: string;
  const git = (...args: string[]) => run("git", args, { cwd: project.dir });

  beforeAll(async () => {
    project = await TempProject.create();
    await git("init", "-q");
    await git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "empty");
    await git("add", "-A");
    await git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "sample");
    csv = (await project.ok("access", "--owner", "W1004", "--format", "csv", "--as-of", asOf)).stdout;
  }, 120_000);
  afterAll(async () => project.remove());

  it("turns revoke marks into a removed grant and an exclusion a reviewer can read; validate passes and compile no longer grants them", async () => {
    const review = decide(csv, {
      "W1039 finance": { decision: "revoke", comment: "migration finished" },
      "W1030 finance scim": { decision: "Revoke", comment: "moved to treasury" },
      "W1004 finance": { decision: "keep" },
    });
    await writeFile(path.join(project.dir, "q4-finance.csv"), review);
    const result = await project.ok("access", "apply-review", "q4-finance.csv", "--as-of", asOf, "--ticket", "IAM-5000");
    expect(result.stdout).toContain("grant it-finance-migration removed");

    const { stdout: status } = await git("status", "--porcelain");
    expect(status.split("\n").filter(Boolean).sort()).toEqual([
      " M .github/CODEOWNERS",
      " M desired-state/grants/2026-q4.yaml",
      "?? desired-state/exclusions/q4-finance.yaml",
      "?? desired-state/reviews/",
      "?? q4-finance.csv",
    ]);
    // The grants file loses exactly the revoked grant's lines: comments and layout stay.
    const { stdout: diff } = await git("diff", "-U0", "desired-state/grants/2026-q4.yaml");
    const changed = diff.split("\n").filter((l) => /^[-+](?![-+])/.test(l));
    expect(changed).toEqual([
      "-  - id: it-finance-migration",
      "-    worker: W1039",
      "-    role: finance",
      "-    reason: Migrates the finance share permissions; SoD exception reviewed by the CFO",
      "-    ticket: IAM-4802",
      "-    approvedBy: W1004",
      "-    granted: 2026-11-16",
      "-    expires: 2026-12-15",
      "-    sodExceptions: [finance-vs-it-admin]",
    ]);
    const exclusions = await readFile(path.join(project.dir, "desired-state/exclusions/q4-finance.yaml"), "utf8");
    expect(exclusions).toMatch(/^# yaml-language-server: \$schema=\.\.\/\.\.\/schemas\/exclusions\.schema\.json\n/);
    expect(exclusions).toContain(
      ["  - worker: W1030", "    role: finance", "    reason: moved to treasury", "    ticket: IAM-5000", "    decidedBy: W1004", `    decided: ${asOf}`, "    review: reviews/q4-finance.csv"].join("\n"),
    );
    expect(await readFile(path.join(project.dir, "desired-state/reviews/q4-finance.csv"), "utf8")).toBe(review);

    await project.ok("validate", "--as-of", asOf);
    const inputs = await loadDesiredState(path.join(project.dir, "desired-state"));
    expect(inputs.files.map((f) => f.path)).toContain("reviews/q4-finance.csv");
    const after = compile(inputs, asOf);
    const roles = (id: string) => after.people.find((p) => p.id === id)!.roles.map((r) => r.role);
    expect(roles("W1039")).not.toContain("finance");
    expect(roles("W1030")).not.toContain("finance");
    expect(roles("W1004")).toContain("finance");
    expect(after.targets.scim!.groups.find((g) => g.key === "finance")!.members.map((m) => m.user)).not.toEqual(expect.arrayContaining(["W1030"]));

    // Applying the same review again changes nothing.
    const again = await project.ok("access", "apply-review", "q4-finance.csv", "--as-of", asOf);
    expect(again.stdout).toContain("nothing changed");
  });

  it("refuses a review it cannot carry out exactly, at the review file's line, and writes nothing", async () => {
    const status = async () => (await git("status", "--porcelain")).stdout.split("\n").filter(Boolean).sort();
    const before = await status();
    const bad = decide(csv, { "W1012 finance": { decision: "remove" }, "W1033 finance": { decision: "revoke" } });
    const rows = parse(bad, { columns: true }) as Record<string, string>[];
    const line = rows.findIndex((r) => r.worker === "W1012") + 2;
    await writeFile(path.join(project.dir, "bad.csv"), bad);
    const result = await project.run("access", "apply-review", "bad.csv", "--as-of", asOf);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`bad.csv:${line}: error[review-decision]`);
    expect(await status()).toEqual([...before, "?? bad.csv"].sort());
  });

  it("refuses one person's role both kept and revoked", async () => {
    const conflicting = decide(csv, { "W1030 finance scim": { decision: "revoke" }, "W1030 finance okta": { decision: "keep" } });
    await writeFile(path.join(project.dir, "conflict.csv"), conflicting);
    const result = await project.run("access", "apply-review", "conflict.csv", "--as-of", asOf);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error[review-conflict]");
  });
});
