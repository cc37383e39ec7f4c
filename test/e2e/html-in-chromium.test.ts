import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DesiredState, DirectoryUser, Person } from "../../src/model/desired-state.js";
import type { PlanDocument, PlanStep } from "../../src/model/plan.js";
import { buildPlan } from "../../src/evidence/plan-model.js";
import { renderHtml } from "../../src/evidence/render-html.js";
import type { StackRecord } from "../../src/targets/record.js";
import { chromiumHeadless, ensureChromium } from "../support/chromium.js";

/**
 * plan.html as an auditor sees it: a plan built by buildPlan from engine steps, rendered,
 * and opened from disk in headless Chromium (Debian's package). The DOM the browser built
 * must show the summary and each person's section; a screenshot must show a drawn page.
 */
describe("plan.html in headless Chromium", () => {
  let chromium: string;
  let dir: string;
  let page: string;
  let plan: PlanDocument;

  beforeAll(async () => {
    chromium = await ensureChromium((line) => process.stderr.write(`[chromium] ${line}\n`));
    dir = await mkdtemp(path.join(os.tmpdir(), "rolecall-html-"));
    plan = syntheticPlan();
    page = path.join(dir, "plan.html");
    await writeFile(page, renderHtml(plan));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("the plan is what buildPlan makes of the steps: a joiner, a mover and a leaver", () => {
    expect(plan.people.map((p) => [p.id, p.change])).toEqual([
      ["W2001", "joiner"],
      ["W2002", "mover"],
      ["W2003", "leaver"],
    ]);
    expect(plan.summary).toMatchObject({ joiners: 1, movers: 1, leavers: 1, groupChanges: 2 });
  });

  it("the DOM Chromium builds shows the summary and a person's section", async () => {
    const dom = await chromiumHeadless(chromium, path.join(dir, "profile-dom"), ["--dump-dom", pathToFileURL(page).href]);
    expect(dom).toContain(`<html lang="en">`);
    expect(dom).toMatch(/<h2 id="summary-title">Summary<\/h2>/);
    expect(dom).toMatch(/data-summary="joiners"><span class="n">1<\/span> <span class="label">Joiners<\/span>/);
    expect(dom).toMatch(/data-summary="leavers"><span class="n">1<\/span>/);

    const section = /<article class="person" id="person-W2001"[^>]*>([\s\S]*?)<\/article>/.exec(dom);
    expect(section, "no section for W2001").not.toBeNull();
    const text = section![1]!.replace(/<\/?(?:code|span|a|strong)\b[^>]*>/g, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
    expect(text).toContain("W2001 Dana &lt;Dev&gt; Park");
    expect(text).toContain("scim: create");
    expect(text).toContain("scim group engineers role engineer: rule engineering matched department = Engineering");
    expect(dom).toContain(`<a href="#person-W2001">W2001</a>`);

    const leaver = /<article class="person" id="person-W2003"[^>]*>([\s\S]*?)<\/article>/.exec(dom);
    expect(leaver?.[1]).toContain("no longer in the HR roster");
    // The hostile name stayed text: the only script is the page's own print helper.
    expect(dom.match(/<script\b/g)?.length).toBe(1);
  });

  it("draws the page: a screenshot holds far more than a blank page's", async () => {
    const blank = path.join(dir, "blank.html");
    await writeFile(blank, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>blank</title></head><body></body></html>`);
    const shot = async (file: string, out: string) => {
      await chromiumHeadless(chromium, path.join(dir, `profile-${path.basename(out)}`), ["--window-size=1280,1600", `--screenshot=${out}`, pathToFileURL(file).href]);
      const png = await readFile(out);
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), bytes: png.length };
    };
    const rendered = await shot(page, path.join(dir, "plan.png"));
    const empty = await shot(blank, path.join(dir, "blank.png"));
    expect([rendered.width, rendered.height]).toEqual([1280, 1600]);
    expect(rendered.bytes).toBeGreaterThan(empty.bytes * 5);
  });

  it("prints to PDF", async () => {
    const pdf = path.join(dir, "plan.pdf");
    await chromiumHeadless(chromium, path.join(dir, "profile-pdf"), ["--no-pdf-header-footer", `--print-to-pdf=${pdf}`, pathToFileURL(page).href]);
    const bytes = await readFile(pdf);
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect((await stat(pdf)).size).toBeGreaterThan(10_000);
  });
});

/** A real plan: buildPlan over engine steps for a joiner, a mover (a new group) and a leaver (gone from the roster). */
function syntheticPlan(): PlanDocument {
  const person = (id: string, displayName: string, department: string, rule: string, role: string): Person => ({
    id,
    state: "active",
    stateReason: "active",
    account: "enabled",
    login: id.toLowerCase(),
    email: `${id.toLowerCase()}@example.com`,
    givenName: displayName.split(" ")[0]!,
    familyName: displayName.split(" ").at(-1)!,
    displayName,
    workerType: "employee",
    department,
    roles: [{ role, privileged: false, reasons: [{ kind: "rule", rule, matched: { department } }] }],
    source: { file: "desired-state/hr/roster.csv", line: 2 },
  });
  const dana = person("W2001", "Dana <Dev> Park", "Engineering", "engineering", "engineer");
  const eli = person("W2002", "Eli Moss", "Finance", "finance", "finance");
  const user = (p: Person): DirectoryUser => ({
    key: p.id,
    kind: "person",
    state: p.state,
    userName: p.login,
    externalId: p.id,
    givenName: p.givenName,
    familyName: p.familyName,
    displayName: p.displayName,
    email: p.email,
    active: true,
    protected: false,
  });
  const desired: DesiredState = {
    asOf: "2026-03-02",
    inputs: [{ path: "desired-state/hr/roster.csv", sha256: "0".repeat(64) }],
    people: [dana, eli],
    serviceAccounts: [],
    targets: {
      scim: {
        users: [user(dana), user(eli)],
        groups: [
          { key: "engineers", displayName: "Engineers", members: [{ user: "W2001", because: dana.roles.map((r) => r.role) }] },
          { key: "finance", displayName: "Finance", members: [{ user: "W2002", because: eli.roles.map((r) => r.role) }] },
        ],
      },
    },
    identities: { assigned: {}, retired: { logins: {}, emails: {} } },
    roleGrants: {},
    losses: [
      { user: "W2002", target: "scim", item: "group:engineers", reasons: [{ kind: "rule", rule: "engineering", changed: [{ attribute: "department", from: "Engineering", to: "Finance" }] }] },
      { user: "W2003", target: "scim", item: "group:engineers", reasons: [{ kind: "lifecycle", state: "removed", reason: "no longer in the HR roster" }] },
    ],
    findings: [],
  };
  const previous: StackRecord = {
    asOf: "2026-03-01",
    accounts: {
      W2002: { displayName: "Eli Moss", email: "w2002@example.com", kind: "person", protected: false },
      W2003: { displayName: "Fay Lund", email: "w2003@example.com", kind: "person", protected: false },
    },
    holdings: { scim: { "group:engineers": ["W2002", "W2003"] } },
    identities: { assigned: {}, retired: { logins: {}, emails: {} } },
    attributes: {},
    roleGrants: {},
  };
  const urn = (type: string, name: string) => `urn:pulumi:local::rolecall::rolecall:targets:Scim$${type}::${name}`;
  const step = (op: string, type: string, name: string, diffs: string[] = []): PlanStep => ({ op, urn: urn(type, name), type, name, target: "scim", diffs });
  const steps: PlanStep[] = [
    { op: "same", urn: "urn:pulumi:local::rolecall::pulumi:pulumi:Stack::rolecall-local", type: "pulumi:pulumi:Stack", name: "rolecall-local", target: "", diffs: [] },
    step("create", "rolecall-scim:index:User", "W2001"),
    step("same", "rolecall-scim:index:User", "W2002"),
    step("delete", "rolecall-scim:index:User", "W2003"),
    step("update", "rolecall-scim:index:Group", "engineers", ["members"]),
    step("create", "rolecall-scim:index:Group", "finance"),
  ];
  const core = buildPlan(steps, desired, previous, ["scim"]);
  return {
    schemaVersion: 1,
    manifest: {
      stack: "local",
      asOf: desired.asOf,
      createdAt: "2026-03-02T08:15:00Z",
      desiredState: "desired-state",
      inputs: desired.inputs,
      git: null,
      versions: { rolecall: "0.1.0", pulumi: "3.248.0", node: process.version },
      ranBy: { user: "tester", host: "localhost" },
    },
    guardrails: [{ name: "max-deprovision-count", limit: "5 people", actual: "1 people", verdict: "pass", message: "1 people lose their access (limit 5)" }],
    ...core,
  };
}
