import { describe, expect, it } from "vitest";
import { PlanDocumentSchema } from "../../../src/model/plan.js";
import { MARKDOWN_LIMIT, renderMarkdown } from "../../../src/evidence/render-md.js";
import { fixturePlan, hugePlan } from "./render-fixture.js";

/** Pipes that split a GFM table row (not escaped with a backslash). */
const cellSeparators = (line: string) => line.match(/(?<!\\)\|/g)?.length ?? 0;

describe("plan.md", () => {
  const plan = fixturePlan();
  const md = renderMarkdown(plan);

  it("the fixture is a valid plan document", () => {
    expect(PlanDocumentSchema.safeParse(plan).success).toBe(true);
  });

  it("opens with the stack, the as-of date and the summary table before any detail", () => {
    const lines = md.split("\n");
    expect(lines[0]).toBe("## rolecall plan · stack `local` · as of 2026-03-02");
    const header = lines.findIndex((l) => l.startsWith("| Joiners | Movers | Leavers | Disabled | Enabled | Service accounts | Group changes | Drift corrections |"));
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 2]).toBe("| 1 | 1 | 1 | 0 | 0 | 1 | 4 | 1 |");
    expect(md).toContain("1 other account update · engine steps: 2 create, 4 update, 1 delete, 37 same.");
    expect(header).toBeLessThan(lines.findIndex((l) => l.startsWith("### Guardrails")));
    expect(md.indexOf("### Guardrails")).toBeLessThan(md.indexOf("### Risks"));
    expect(md.indexOf("### Risks")).toBeLessThan(md.indexOf("### People"));
    expect(md.indexOf("### People")).toBeLessThan(md.indexOf("### Findings"));
  });

  it("shows each guardrail's verdict, and the override with its reason", () => {
    expect(md).toMatch(/^\| ✅ pass \| max-deprovision-count \| 5 people \| 1 people \|/m);
    expect(md).toMatch(/^\| ⚠️ overridden \| max-deprovision-percent \|.*overridden: HR confirmed the &lt;reorg&gt; \\\| ticket HR-9 \|$/m);
    expect(md).toMatch(/^\| ❌ fail \| protected-accounts \|/m);
    expect(md).toContain("⚠️ **Overridden** with `--allow-mass-deprovision`: HR confirmed the &lt;reorg&gt; \\| ticket HR-9");
  });

  it("lists the risks", () => {
    expect(md).toContain("- ⚠️ **privileged grant** · `W1001`: W1001 gains privileged scim group platform-admins");
    expect(md).toContain("- ⚠️ **drift** · `urn:pulumi:local::rolecall::rolecall:targets:Scim$rolecall-scim:index:Group::sales`");
  });

  it("collapses the per-person detail in <details> blocks grouped by change kind", () => {
    const summaries = [...md.matchAll(/<summary><b>(.*?)<\/summary>/g)].map((m) => m[1]);
    expect(summaries).toEqual(["Joiners (1)</b>", "Movers (1)</b>", "Leavers (1)</b>", "Other updates (1)</b>", "Service accounts (1)</b>", "Group and role changes (4)</b>"]);
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
    // Markdown inside <details> is rendered only after a blank line.
    expect(md).toMatch(/<summary><b>Joiners \(1\)<\/b><\/summary>\n\n\*\*`W1001` · Ana Silva\*\*/);
  });

  it("renders each gain with the roles and reasons behind it, and each loss with why", () => {
    expect(md).toContain("**`W1001` · Ana Silva** &lt;ana.silva@example.com&gt; — joiner · active (active since 2026-02-23)");
    expect(md).toContain("- Account: scim create");
    expect(md).toContain("  - scim group `platform-admins` ← role `platform-engineer` (privileged): rule `platform-team` matched reportsTo = W1009");
    expect(md).toContain("  - scim group `developers` ← role `developer`: included by `platform-engineer`");
    expect(md).toContain(
      "  - okta group `fin-audit` ← role `fin-auditor`: grant `fin-audit-support` (ticket IAM-4711, until 2027-01-31) · role `finance`: rule `finance-dept` matched department = Finance and isManager = false",
    );
    expect(md).toContain("- Account: scim update (department, title)");
    // The fixture's expired grant is W1002's too: it is not what took the group away.
    expect(md).toContain("  - scim group `sales` — rule `sales-dept` stopped matching: department Sales → Finance");
    expect(md).toContain("  - okta admin role `help-desk` — terminated on 2026-02-27 (grace 0 days)");
    expect(md).toContain("  - scim group `deployers` ← role `deployer`: service account `ci-deployer`");
    expect(md).toContain("- ⚠️ privileged: gains scim group platform-admins through platform-engineer");
  });

  it("lists findings by severity, with file and line", () => {
    expect(md).toContain("### Findings (0 errors, 1 warning, 1 info)");
    const warning = md.indexOf("- ⚠️ `grant-expired` `desired-state/grants/sales.yaml:3`: grant sales-temp expired on 2026-02-28 (sales for W1002) — remove the grant or renew it with a new ticket");
    expect(warning).toBeGreaterThan(0);
    expect(warning).toBeLessThan(md.indexOf("- ℹ️ `prehire`"));
  });

  it("ends with the digest, the number of inputs hashed, the commit and the versions", () => {
    const footer = md.trimEnd().split("\n").at(-1)!;
    expect(footer).toContain(`Plan digest \`${"f".repeat(64)}\``);
    expect(footer).toContain("3 input files hashed (`desired-state`)");
    expect(footer).toContain("git `0123456789abcdef0123456789abcdef01234567`");
    expect(footer).toContain("rolecall 0.1.0, Pulumi 3.248.0, Node v20.20.2");
    expect(footer).toContain("created 2026-03-02T08:15:00Z by runner@ci-host (github-actions)");
  });

  it("escapes names and keys that look like markup, in text, code and tables", () => {
    expect(md).not.toContain("<script>");
    expect(md).not.toContain("<a>");
    expect(md).not.toContain("<reorg>");
    expect(md).toContain("**`W1004` · &lt;script&gt;alert(1)&lt;/script&gt; \\| x\\|y \\`tick\\` \\*bold\\* \\[link\\](http://evil.example) &amp;amp;**");
    expect(md).toContain("&lt;odd&lt;name&gt;@example.com&gt;");
    // Every row of every table keeps its column count, whatever the cells hold.
    for (const table of md.split("\n\n").filter((block) => block.includes("\n|---"))) {
      const rows = table.split("\n").filter((l) => l.startsWith("|"));
      const columns = cellSeparators(rows[0]!);
      for (const row of rows) expect(cellSeparators(row), row).toBe(columns);
    }
    expect(md).toContain("| scim | `group:odd\\|key<b>` | update | `W1004` |  |");
  });

  it("code spans hold backticks", () => {
    const plan = fixturePlan();
    plan.people[0]!.id = "W`1`";
    expect(renderMarkdown(plan)).toContain("**`` W`1` `` · Ana Silva**");
  });

  it("is deterministic", () => {
    expect(renderMarkdown(fixturePlan())).toBe(md);
  });

  it("says so when nothing changes", () => {
    const empty = { ...fixturePlan(), people: [], groups: [], risks: [], findings: [] };
    empty.summary = { ...empty.summary, joiners: 0, movers: 0, leavers: 0, updated: 0, serviceAccounts: 0, groupChanges: 0, driftCorrections: 0 };
    const out = renderMarkdown(empty);
    expect(out).toContain("**No changes:** the targets match the desired state.");
    expect(out).not.toContain("### People");
  });

  it("fits a pull-request comment however large the plan, cutting the per-person detail with a note", () => {
    const huge = hugePlan(5000);
    const out = renderMarkdown(huge);
    expect(out.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(out).toContain("| 5000 | 0 | 0 | 0 | 0 | 0 | 4 | 1 |");
    const shown = /Per-person detail truncated to fit a pull-request comment: (\d+) of 5000 identities shown\. The full detail is in plan\.html and plan\.json of the evidence bundle\./.exec(out);
    expect(shown).not.toBeNull();
    expect(Number(shown![1])).toBeGreaterThan(50);
    expect(out.match(/^\*\*`W1\d{5}`/gm)?.length).toBe(Number(shown![1]));
    expect(out.match(/<details>/g)?.length).toBe(out.match(/<\/details>/g)?.length);
    expect(out).toContain("### Findings");
    expect(out.trimEnd().split("\n").at(-1)).toContain("Plan digest");
    expect(renderMarkdown(huge)).toBe(out);
  });

  it("cuts long risk and finding lists too, never going over the limit", () => {
    const huge = hugePlan(2000);
    huge.risks = Array.from({ length: 3000 }, (_, i) => ({ code: "privileged-grant" as const, subject: `W${i}`, message: `W${i} gains privileged scim group platform-admins` }));
    huge.findings = Array.from({ length: 3000 }, (_, i) => ({ severity: "warning" as const, code: "grant-expired", message: `grant g${i} expired` }));
    const out = renderMarkdown(huge);
    expect(out.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(out).toMatch(/- … and \d+ more risks: see plan\.json in the evidence bundle\./);
    expect(out).toMatch(/- … and \d+ more: see plan\.json in the evidence bundle\./);
    expect(out).toContain("Per-person detail truncated");
  });
});
