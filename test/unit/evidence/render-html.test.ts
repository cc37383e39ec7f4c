import { describe, expect, it } from "vitest";
import { PEOPLE_PER_PAGE, htmlPages, renderHtml } from "../../../src/evidence/render-html.js";
import { personAnchor } from "../../../src/evidence/render-shared.js";
import { HOSTILE_NAME, fixturePlan, hugePlan } from "./render-fixture.js";

/** The text of the first `tag` element with this id (block tags become spaces; entities stay as they are). */
function sectionText(html: string, id: string, tag = "section"): string {
  const open = new RegExp(`<${tag}\\b[^>]*\\bid="${id}"`).exec(html);
  expect(open, `no <${tag}> with id ${id}`).not.toBeNull();
  return textOf(html.slice(open!.index, html.indexOf(`</${tag}>`, open!.index)));
}

function textOf(fragment: string): string {
  return fragment
    .replace(/<\/?(?:code|span|a|strong|time|b)\b[^>]*>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

describe("plan.html", () => {
  const html = renderHtml(fixturePlan());

  it("is one self-contained, accessible page", () => {
    expect(html.startsWith("<!doctype html>\n<html lang=\"en\">")).toBe(true);
    expect(html).toContain(`<meta charset="utf-8">`);
    expect(html).toContain("<title>Access plan · stack local · as of 2026-03-02</title>");
    expect(html).toMatch(/<style>[^<]+<\/style>/);
    // Nothing is loaded from anywhere: no linked stylesheet, script, image or font.
    expect(html).not.toMatch(/<link\b|\bsrc=|url\(|@import/i);
    expect(html.match(/<script>/g)?.length).toBe(1);
    expect(html.match(/<h1>/g)?.length).toBe(1);
    expect(html).toContain(`<th scope="col">Guardrail</th>`);
    expect(html).not.toMatch(/<th>/);
    expect(html.match(/<table /g)?.length).toBe(html.match(/<thead>/g)?.length);
  });

  it("opens every collapsed part for printing, and prints it where the browser allows CSS to", () => {
    expect(html).toContain(`addEventListener("beforeprint"`);
    expect(html).toContain("@media print{");
    expect(html).toContain("details::details-content{content-visibility:visible;display:contents}");
  });

  it("has a header with the stack, the as-of date, when, who and which commit", () => {
    const header = textOf(html.slice(html.indexOf("<header>"), html.indexOf("</header>")));
    expect(header).toContain("Access plan for stack local, as of 2026-03-02");
    expect(header).toContain("Created at 2026-03-02T08:15:00Z");
    expect(header).toContain("Run by runner@ci-host (github-actions)");
    expect(header).toContain("Git commit 0123456789abcdef0123456789abcdef01234567");
    expect(header).toContain("Override --allow-mass-deprovision: HR confirmed the &lt;reorg&gt; | ticket HR-9");
  });

  it("shows the summary numbers as cards", () => {
    for (const [key, n] of [["joiners", 1], ["movers", 1], ["leavers", 1], ["disabled", 0], ["serviceAccounts", 1], ["groupChanges", 4], ["driftCorrections", 1]] as const) {
      expect(html).toMatch(new RegExp(`data-summary="${key}"><span class="n">${n}</span>`));
    }
    expect(sectionText(html, "summary")).toContain("1 other account update. Engine steps: 2 create, 4 update, 1 delete, 37 same.");
  });

  it("shows guardrail verdicts and risks", () => {
    const guardrails = sectionText(html, "guardrails");
    expect(guardrails).toContain("✓ pass max-deprovision-count 5 people 1 people");
    expect(guardrails).toContain("⚠ overridden max-deprovision-percent");
    expect(guardrails).toContain("✗ fail protected-accounts");
    expect(sectionText(html, "risks")).toContain("privileged grant W1001 W1001 gains privileged scim group platform-admins");
  });

  it("gives each identity a section with an anchor, linked from the table of contents", () => {
    for (const id of ["W1001", "W1002", "W1004", "W1010", "sa-ci-deployer"]) {
      expect(html).toContain(`<article class="person" id="person-${id}"`);
      expect(html).toContain(`<a href="#person-${id}">${id}</a>`);
    }
    const ana = sectionText(html, "person-W1001", "article");
    expect(ana).toContain("W1001 Ana Silva");
    expect(ana).toContain("Change joiner");
    expect(ana).toContain("Account scim: create");
    expect(ana).toContain("scim group platform-admins role platform-engineer (privileged): rule platform-team matched reportsTo = W1009");
    expect(ana).toContain("scim group developers role developer: included by platform-engineer");
    expect(ana).toContain("⚠ privileged: gains scim group platform-admins through platform-engineer");
  });

  it("renders grants with ticket and expiry, several roles as a list, and losses with why", () => {
    const ben = sectionText(html, "person-W1002", "article");
    expect(ben).toContain("okta group fin-audit role fin-auditor: grant fin-audit-support (ticket IAM-4711, until 2027-01-31) role finance: rule finance-dept matched department = Finance and isManager = false");
    expect(ben).toContain("Loses (1) Access Why scim group sales rule sales-dept stopped matching: department Sales → Finance");
    const cleo = sectionText(html, "person-W1010", "article");
    expect(cleo).toContain("State leaver (terminated on 2026-02-27 (grace 0 days))");
    expect(cleo).toContain("okta admin role help-desk terminated on 2026-02-27");
    expect(sectionText(html, "person-sa-ci-deployer", "article")).toContain("role deployer: service account ci-deployer");
  });

  it("groups people by change kind", () => {
    const order = ["joiners", "movers", "leavers", "other-updates", "service-accounts"].map((slug) => html.indexOf(`<section class="kind" id="${slug}"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("lists group changes, findings, and the appendix with inputs and raw steps", () => {
    const groups = sectionText(html, "groups");
    expect(groups).toContain("scim group:developers update W1001 W1010");
    expect(html).toContain(`<a href="#person-W1001">W1001</a>`);
    const findings = sectionText(html, "findings");
    expect(findings).toContain("warning grant-expired grant sales-temp expired on 2026-02-28 (sales for W1002) desired-state/grants/sales.yaml:3 remove the grant");
    expect(findings.indexOf("warning")).toBeLessThan(findings.indexOf("info"));
    const appendix = sectionText(html, "appendix");
    expect(appendix).toContain(`desired-state/hr/roster.csv ${"a".repeat(64)}`);
    expect(appendix).toContain("Engine steps (4: 2 create, 4 update, 1 delete, 37 same)");
    expect(appendix).toContain("3 update scim rolecall-scim:index:User W1002 department, title urn:pulumi:local::rolecall::rolecall:targets:Scim$rolecall-scim:index:User::W1002");
  });

  it("escapes every value from the inputs", () => {
    expect(html).not.toContain("<script>alert(1)");
    expect(html).not.toContain("<reorg>");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; | x|y `tick` *bold* [link](http://evil.example) &amp;amp;");
    expect(html).toContain("odd&lt;name&gt;@example.com");
    expect(html).toContain("<code>group:odd|key&lt;b&gt;</code>");
    // Anchors stay safe and unique whatever an id holds.
    const plan = fixturePlan();
    plan.people[2]!.id = `W"1 <x>`;
    const out = renderHtml(plan);
    expect(personAnchor(`W"1 <x>`)).toBe("person-W_22_1_20__3c_x_3e_");
    expect(out).toContain(`id="person-W_22_1_20__3c_x_3e_"`);
    expect(out).toContain(`<code>W&quot;1 &lt;x&gt;</code> ${HOSTILE_NAME.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}`);
  });

  it("is deterministic, and renders a large plan whole: the people on pages beside it, linked from it", () => {
    expect(renderHtml(fixturePlan())).toBe(html);
    expect([...htmlPages(fixturePlan())]).toEqual([]);
    const plan = hugePlan(PEOPLE_PER_PAGE * 2 + 1);
    const big = renderHtml(plan);
    expect(big).not.toContain(`<article class="person"`);
    const pages = [...htmlPages(plan)];
    expect(pages.map(([name]) => name)).toEqual(["plan-pages/joiners-1.html", "plan-pages/joiners-2.html", "plan-pages/joiners-3.html"]);
    for (const [name] of pages) expect(big).toContain(`href="${name}"`);
    expect(pages.map(([, page]) => page.match(/<article class="person"/g)?.length)).toEqual([PEOPLE_PER_PAGE, PEOPLE_PER_PAGE, 1]);
    expect(pages[2]![1]).toContain(`id="person-W${100000 + PEOPLE_PER_PAGE * 2}"`);
    expect(pages[0]![1]).toContain(`<a href="../plan.html">`);
    expect([...htmlPages(plan)]).toEqual(pages);
  });
});
