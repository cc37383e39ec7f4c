import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeApplied, writePlanBundle } from "../../../src/evidence/bundle.js";
import { planDigest } from "../../../src/evidence/plan-model.js";
import { changingSteps } from "../../../src/evidence/steps.js";
import { verifyBundle } from "../../../src/evidence/verify.js";
import type { AppliedDocument, PlanDocument } from "../../../src/model/plan.js";
import { fixturePlan } from "./render-fixture.js";

/** The fixture plan as plan would write it: a digest of its own steps, no inputs to re-hash. */
function sealedPlan(): PlanDocument {
  const plan = fixturePlan();
  plan.manifest.inputs = [];
  plan.digest = planDigest(changingSteps(plan.steps), plan.people);
  return plan;
}

describe("evidence verify after an apply", () => {
  let project: string;
  let bundle: string;
  let plan: PlanDocument;

  beforeEach(async () => {
    project = await mkdtemp(path.join(tmpdir(), "rolecall-verify-"));
    bundle = path.join(project, "evidence");
    plan = sealedPlan();
    await writePlanBundle(bundle, plan);
  });
  afterEach(() => rm(project, { recursive: true, force: true }));

  const applied = (over: Partial<AppliedDocument>): AppliedDocument => ({
    schemaVersion: 1,
    planDigest: plan.digest,
    startedAt: "2026-03-02T08:16:00Z",
    finishedAt: "2026-03-02T08:17:00Z",
    result: "succeeded",
    steps: changingSteps(plan.steps).map((s) => ({ op: s.op, urn: s.urn, outcome: "done" as const })),
    ...over,
  });

  it("holds for a plan applied exactly, step for step", async () => {
    await writeApplied(bundle, applied({}));
    expect(await verifyBundle(bundle, project)).toEqual([]);
  });

  it("fails a bundle whose apply started and never recorded its end (killed mid-update)", async () => {
    const { finishedAt: _, ...started } = applied({ result: "started", steps: [] });
    await writeApplied(bundle, started);
    const problems = await verifyBundle(bundle, project);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/never recorded its end/);
  });

  it("fails an apply that left a planned step undone, or did one nobody planned", async () => {
    const [first, ...rest] = applied({}).steps;
    await writeApplied(bundle, applied({ steps: [...rest, { ...first!, urn: `${first!.urn}-other` }] }));
    const problems = await verifyBundle(bundle, project);
    expect(problems).toContain(`planned but not applied: ${first!.op} ${first!.urn}`);
    expect(problems).toContain(`applied but not planned: ${first!.op} ${first!.urn}-other`);
  });

  it("fails a bundle whose applied.json was edited after it was written", async () => {
    await writeApplied(bundle, applied({}));
    const file = path.join(bundle, "applied.json");
    await writeFile(file, (await readFile(file, "utf8")).replace('"succeeded"', '"succeeded" '));
    expect((await verifyBundle(bundle, project)).some((p) => p.startsWith("applied.json was changed after it was written"))).toBe(true);
  });
});
