import { describe, expect, it } from "vitest";
import { parseProviderArgs } from "../../../src/targets/scim/provider/args.js";

describe("parseProviderArgs", () => {
  it("takes the first positional argument as the engine address, skipping the engine's flags", () => {
    expect(parseProviderArgs(["-v=9", "--logtostderr", "--tracing", "http://trace:1", "127.0.0.1:5000"])).toEqual({
      engineAddress: "127.0.0.1:5000",
    });
    expect(parseProviderArgs([])).toEqual({ engineAddress: undefined });
  });
});
