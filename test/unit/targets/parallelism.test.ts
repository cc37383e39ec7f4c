import { describe, expect, it } from "vitest";
import { stackParallelism } from "../../../src/targets/parallelism.js";

describe("the engine's parallelism for a stack", () => {
  it("is capped by the strictest target: Identity Center's 20 TPS / 15 outstanding assignments, Okta's concurrency", () => {
    expect(stackParallelism(["aws"])).toBe(10);
    expect(stackParallelism(["okta", "scim"])).toBe(10);
    expect(stackParallelism(["scim"])).toBeUndefined();
    expect(stackParallelism(["azuread"])).toBeUndefined();
  });

  it("takes a lower PULUMI_PARALLEL, never a higher one, and ignores nonsense", () => {
    expect(stackParallelism(["aws"], "4")).toBe(4);
    expect(stackParallelism(["aws"], "64")).toBe(10);
    expect(stackParallelism(["aws"], "lots")).toBe(10);
    expect(stackParallelism(["scim"], "6")).toBe(6);
  });
});
