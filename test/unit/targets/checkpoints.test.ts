import { describe, expect, it } from "vitest";
import { skipCheckpoints } from "../../../src/targets/checkpoints.js";

describe("per-step checkpoints", () => {
  it("are skipped only when every target of the stack converges on a re-run after a crash", () => {
    expect(skipCheckpoints(["scim"])).toBe(true);
    for (const cloud of ["okta", "azuread", "aws"]) {
      expect(skipCheckpoints([cloud])).toBe(false);
      expect(skipCheckpoints(["scim", cloud])).toBe(false);
    }
  });

  it("are kept for a stack with no targets or an unknown one", () => {
    expect(skipCheckpoints([])).toBe(false);
    expect(skipCheckpoints(["scim", "github"])).toBe(false);
  });
});
