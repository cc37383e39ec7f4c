import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonChunks } from "../../../src/evidence/json-chunks.js";

describe("JSON in chunks", () => {
  it("is byte-identical to JSON.stringify(value, null, 2) for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect([...jsonChunks(value)].join("")).toBe(JSON.stringify(value, null, 2));
      }),
      { numRuns: 300 },
    );
  });

  it("drops undefined members like JSON.stringify does", () => {
    const value = { a: undefined, b: [undefined, 1], c: { d: undefined } };
    expect([...jsonChunks(value)].join("")).toBe(JSON.stringify(value, null, 2));
  });
});
