import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_BACKOFF_MS, backoffDelay, networkErrorCode, parseRetryAfter } from "../../../src/targets/scim/provider/retry.js";

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-03-01T12:00:00Z");

  it("reads delay-seconds", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });

  it("reads an HTTP date, never negative", () => {
    expect(parseRetryAfter("Sat, 01 Mar 2025 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Sat, 01 Mar 2025 11:00:00 GMT", now)).toBe(0);
  });

  it("gives up on absent or garbage values so backoff takes over", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
  });
});

describe("backoffDelay", () => {
  it("is full jitter below min(cap, base·2^attempt)", () => {
    fc.assert(
      fc.property(fc.nat(40), fc.integer({ min: 1, max: 5_000 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, base, r) => {
        const d = backoffDelay(attempt, base, () => r);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(Math.min(MAX_BACKOFF_MS, base * 2 ** attempt));
      }),
    );
  });

  it("grows exponentially at the top of the jitter range", () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, 200, () => 0.999999))).toEqual([199, 399, 799, 1599]);
  });
});

describe("networkErrorCode", () => {
  it("finds the code through undici's cause chain and AggregateErrors", () => {
    const inner = Object.assign(new Error("connect"), { code: "ECONNREFUSED" });
    const fetchError = new TypeError("fetch failed", { cause: new AggregateError([inner], "all failed") });
    expect(networkErrorCode(fetchError)).toBe("ECONNREFUSED");
    expect(networkErrorCode(new Error("plain"))).toBeUndefined();
  });
});
