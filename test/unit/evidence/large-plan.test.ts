import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { cp, mkdtemp, readFile, readdir, rm, appendFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse as parseHtml } from "parse5";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { writePlanBundle } from "../../../src/evidence/bundle.js";
import { buildPlan } from "../../../src/evidence/plan-model.js";
import { MARKDOWN_LIMIT } from "../../../src/evidence/render-md.js";
import { PEOPLE_PER_PAGE } from "../../../src/evidence/render-html.js";
import { EngineRecord } from "../../../src/evidence/steps.js";
import { verifyBundle } from "../../../src/evidence/verify.js";
import { loadDesiredState } from "../../../src/load/desired-state-dir.js";
import { PlanDocumentSchema, type PlanDocument } from "../../../src/model/plan.js";

const JOINERS = 10_000;
const AS_OF = "2026-11-25";
const DEPARTMENTS = ["Engineering", "Sales", "Finance", "Support"];

/**
 * A first apply of 10,000 joiners, as the engine reports it: one create per account and per
 * group, a same step for the stack. The bundle must be written, parse, verify, and stay
 * readable: the per-person detail of plan.html on pages beside it.
 */
describe(`the evidence of a ${JOINERS.toLocaleString("en")}-joiner plan`, () => {
  let project: string;
  let dir: string;
  let plan: PlanDocument;

  beforeAll(async () => {
    project = await mkdtemp(path.join(os.tmpdir(), "rolecall-large-plan-"));
    await cp("desired-state", path.join(project, "desired-state"), { recursive: true });
    const rows = Array.from({ length: JOINERS }, (_, i) => {
      const id = `W${500000 + i}`;
      return `${id},Given${i},Family${i},,,${DEPARTMENTS[i % DEPARTMENTS.length]},CC-200,Berlin,Engineer,W1002,Employee,Active,2024-01-01,`;
    });
    await appendFile(path.join(project, "desired-state", "hr", "roster.csv"), rows.join("\r\n") + "\r\n");
    const desired = compile(await loadDesiredState(path.join(project, "desired-state")), AS_OF);
    expect(desired.findings.filter((f) => f.severity === "error")).toEqual([]);

    const scim = desired.targets.scim!;
    const urn = (type: string, name: string) => `urn:pulumi:local::rolecall::rolecall:targets:Scim$${type}::${name}`;
    const pre = (op: string, type: string, name: string, inputs?: Record<string, unknown>) =>
      ({ sequence: 0, timestamp: 0, resourcePreEvent: { metadata: { op, urn: urn(type, name), type, provider: "", ...(inputs ? { new: { inputs } } : {}) } } }) as unknown as EngineEvent;
    const record = new EngineRecord();
    record.add({ sequence: 0, timestamp: 0, resourcePreEvent: { metadata: { op: "same", urn: "urn:pulumi:local::rolecall::pulumi:pulumi:Stack::rolecall-local", type: "pulumi:pulumi:Stack", provider: "" } } } as unknown as EngineEvent);
    for (const u of scim.users) record.add(pre("create", "rolecall-scim:index:User", u.key, { userName: u.userName, displayName: u.displayName }));
    for (const g of scim.groups) record.add(pre("create", "rolecall-scim:index:Group", g.key, { members: g.members.map((m) => m.user) }));

    const core = buildPlan(record.steps, desired, undefined, ["scim"], record.counts);
    plan = {
      schemaVersion: 1,
      manifest: {
        stack: "local",
        asOf: AS_OF,
        createdAt: "2026-11-25T03:00:00Z",
        desiredState: "desired-state",
        inputs: desired.inputs,
        git: null,
        versions: { rolecall: "0.1.0", pulumi: "3.248.0", node: process.version },
        ranBy: { user: "tester", host: "localhost" },
      },
      guardrails: [],
      ...core,
    };
    dir = path.join(project, "evidence");
    await writePlanBundle(dir, plan);
  }, 120_000);

  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it("writes plan.json that parses, matches the schema, and keeps no same step", async () => {
    const parsed = PlanDocumentSchema.parse(JSON.parse(await readFile(path.join(dir, "plan.json"), "utf8")));
    expect(parsed.summary.joiners).toBeGreaterThanOrEqual(JOINERS);
    expect(parsed.people.filter((p) => p.change === "joiner" && p.kind === "person").length).toBe(parsed.summary.joiners);
    expect(parsed.steps.some((s) => s.op === "same")).toBe(false);
    expect(parsed.summary.steps.same).toBe(1);
    expect(parsed.summary.steps.create).toBe(parsed.steps.length);
    expect(parsed.digest).toBe(plan.digest);
  });

  it("verifies: every file as indexed, the inputs as hashed, the digest as its steps", async () => {
    expect(await verifyBundle(dir, project)).toEqual([]);
  });

  it("keeps plan.html short: summary and risks first, the people on pages that hold every one of them", async () => {
    const main = await readFile(path.join(dir, "plan.html"), "utf8");
    parseHtml(main);
    expect(main.indexOf(`id="summary"`)).toBeLessThan(main.indexOf(`id="risks"`));
    expect(main.indexOf(`id="risks"`)).toBeLessThan(main.indexOf(`id="people"`));
    expect(main).not.toContain(`<article class="person"`);
    expect(main.length).toBeLessThan(2_000_000);

    const pages = (await readdir(path.join(dir, "plan-pages"))).filter((f) => f.endsWith(".html"));
    const linked = [...main.matchAll(/href="(plan-pages\/[^"#]+)"/g)].map((m) => m[1]!);
    expect(new Set(linked)).toEqual(new Set(pages.map((p) => `plan-pages/${p}`)));
    const ids = new Set<string>();
    for (const page of pages) {
      const html = await readFile(path.join(dir, "plan-pages", page), "utf8");
      parseHtml(html);
      const articles = [...html.matchAll(/<article class="person" id="person-([^"]+)"/g)].map((m) => m[1]!);
      expect(articles.length).toBeLessThanOrEqual(PEOPLE_PER_PAGE);
      for (const id of articles) ids.add(id);
    }
    expect(ids.size).toBe(plan.people.length);
    // Links from the group table land on the page that holds the person.
    const [, page, anchor] = /href="(plan-pages\/[^"#]+)#(person-[^"]+)"/.exec(main)!;
    expect(await readFile(path.join(dir, page!), "utf8")).toContain(`id="${anchor}"`);
  });

  it("keeps plan.md within a pull-request comment", async () => {
    const md = await readFile(path.join(dir, "plan.md"), "utf8");
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md).toContain("Per-person detail truncated");
  });
});
