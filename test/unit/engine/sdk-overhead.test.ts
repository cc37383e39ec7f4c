import { createRequire } from "node:module";
import { afterEach, describe, expect, it } from "vitest";
import { withoutSdkOverhead } from "../../../src/engine/sdk-overhead.js";

const sdk = createRequire(import.meta.url);
const debuggable = sdk("@pulumi/pulumi/runtime/debuggable.js") as { debuggablePromise: <T>(p: Promise<T>, ctx: string) => Promise<T>; leakedPromises: () => [Set<Promise<unknown>>, string] };
const state = sdk("@pulumi/pulumi/runtime/state.js") as { getStore: () => { leakCandidates: Set<Promise<unknown>> } };

const decorated = (p: Promise<unknown>) => Object.getOwnPropertyNames(p).includes("_debugStackTrace");

afterEach(() => {
  delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
  state.getStore().leakCandidates.clear();
});

describe("an engine command without the SDK's per-resource overhead", () => {
  it("still counts a promise the program never settles as leaked, and one that settles as not", async () => {
    const never = new Promise<void>(() => undefined);
    await withoutSdkOverhead(async () => {
      void debuggable.debuggablePromise(never, "never settles");
      await debuggable.debuggablePromise(Promise.resolve(1), "settles");
    });
    expect([...state.getStore().leakCandidates]).toEqual([never]);
    expect(decorated(never)).toBe(false);
  });

  it("still ties a rejection to its promise, as the SDK's error reports read it", async () => {
    const failing = Promise.reject(new Error("registration failed"));
    const seen = await withoutSdkOverhead(() => debuggable.debuggablePromise(failing, "fails").catch((error: { promise?: unknown }) => error));
    expect(seen.promise).toBe(failing);
    expect(state.getStore().leakCandidates.size).toBe(0);
  });

  it("gives the SDK its own bookkeeping back afterwards, even when the command failed", async () => {
    await expect(withoutSdkOverhead(() => Promise.reject(new Error("preview failed")))).rejects.toThrow("preview failed");
    const after = Promise.resolve();
    void debuggable.debuggablePromise(after, "after");
    expect(decorated(after)).toBe(true);
    expect(Error.stackTraceLimit).toBeGreaterThan(1);
  });

  it("keeps everything with PULUMI_DEBUG_PROMISE_LEAKS, the SDK's switch for debugging it", async () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "true";
    const p = Promise.resolve();
    await withoutSdkOverhead(async () => void debuggable.debuggablePromise(p, "debugged"));
    expect(decorated(p)).toBe(true);
  });
});
