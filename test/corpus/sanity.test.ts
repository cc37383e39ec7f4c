import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TempProject } from "../e2e/support/project.js";
import { sampleProject, validate } from "./harness.js";

describe("the corpus baseline", () => {
  let project: TempProject;
  beforeAll(async () => {
    project = await sampleProject();
  });
  afterAll(() => project.remove());

  it("accepts the untouched sample, so every refusal in the corpus is the case's own", async () => {
    const outcome = await validate(project);
    expect(outcome.code, outcome.result.stderr).toBe(0);
    expect(outcome.findings.filter((f) => f.severity === "error")).toEqual([]);
  });
});
