import { createRequire } from "node:module";
import { afterEach, describe, expect, it } from "vitest";
import { onUnhandledRejection, programRun } from "../../../src/engine/program-runs.js";
import { withoutSdkOverhead } from "../../../src/engine/sdk-overhead.js";

const sdk = createRequire(import.meta.url);
const debuggable = sdk("@pulumi/pulumi/runtime/debuggable.js") as { debuggablePromise: <T>(p: Promise<T>, ctx: string) => Promise<T>; leakedPromises: () => [Set<Promise<unknown>>, string] };
const log = sdk("@pulumi/pulumi/log/index.js") as { debug: (message: string) => Promise<void> };
const state = sdk("@pulumi/pulumi/runtime/state.js") as { getStore: () => { leakCandidates: Set<Promise<unknown>> }; withLocalStorage: <T>(run: () => Promise<T>) => Promise<T> };
// What a resource's constructor records as its registration's source position and call stack.
const { Resource } = sdk("@pulumi/pulumi/resource.js") as { Resource: { stackTrace: (skip: number) => unknown[] } };

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

  it("still rejects with the registration's error, tied to its promise as before", async () => {
    const failing = Promise.reject(new Error("registration failed"));
    const seen = await withoutSdkOverhead(() => debuggable.debuggablePromise(failing, "fails").catch((error: { promise?: unknown }) => error));
    expect(seen.promise).toBe(failing);
    expect(state.getStore().leakCandidates.size).toBe(0);
  });

  it("still hands a registration failing after its run failed to what awaits it, marked as that run's leftover", async () => {
    // The engine was cancelled: the program gave up, and a registration still in flight fails
    // only later, when grpc finds the engine gone, once the SDK has stopped listening for it.
    let fail: ((error: Error) => void) | undefined;
    let outcome: Promise<unknown> | undefined;
    const run = state.withLocalStorage(() =>
      withoutSdkOverhead(() =>
        programRun(async () => {
          const inFlight = new Promise((_, reject) => (fail = reject));
          outcome = debuggable.debuggablePromise(inFlight, "registration").catch((error: unknown) => error);
          throw new Error("the engine stopped answering resource registrations");
        }),
      ),
    );
    await expect(run).rejects.toThrow("stopped answering");
    const leftover = new Error("14 UNAVAILABLE: No connection established");
    fail!(leftover);
    // The SDK's own await sees it (and counts the registration done): nothing waits forever.
    expect(await outcome).toBe(leftover);
    // Unhandled elsewhere (the outputs the SDK made for it), it ends nothing on its own.
    const others = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    process.on("unhandledRejection", onUnhandledRejection);
    try {
      expect(() => onUnhandledRejection(leftover)).not.toThrow();
      const defect = new Error("a defect of rolecall's");
      expect(() => onUnhandledRejection(defect)).toThrow(defect);
    } finally {
      process.removeAllListeners("unhandledRejection");
      for (const listener of others) process.on("unhandledRejection", listener);
    }
  });

  it("sends no debug message while the command runs", async () => {
    const sdkDebug = log.debug;
    await withoutSdkOverhead(async () => {
      expect(log.debug).not.toBe(sdkDebug);
      await expect(log.debug("Registering resource: t=rolecall-scim:index:User")).resolves.toBeUndefined();
    });
  });

  it("records no call stack for a registration while the command runs", async () => {
    expect(Resource.stackTrace(0).length).toBeGreaterThan(0);
    await withoutSdkOverhead(async () => {
      expect(Resource.stackTrace(0)).toEqual([]);
    });
  });

  it("gives the SDK its own bookkeeping back afterwards, even when the command failed", async () => {
    const before = { debug: log.debug, stackTraceLimit: Error.stackTraceLimit, stackTrace: Resource.stackTrace };
    await expect(withoutSdkOverhead(() => Promise.reject(new Error("preview failed")))).rejects.toThrow("preview failed");
    const after = Promise.resolve();
    void debuggable.debuggablePromise(after, "after");
    expect(decorated(after)).toBe(true);
    expect({ debug: log.debug, stackTraceLimit: Error.stackTraceLimit, stackTrace: Resource.stackTrace }).toEqual(before);
  });

  it("keeps everything with PULUMI_DEBUG_PROMISE_LEAKS, the SDK's switch for debugging it", async () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "true";
    const p = Promise.resolve();
    await withoutSdkOverhead(async () => void debuggable.debuggablePromise(p, "debugged"));
    expect(decorated(p)).toBe(true);
  });
});
