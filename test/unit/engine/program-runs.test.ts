import { Resolver } from "node:dns";
import { createRequire } from "node:module";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { isAbandoned, programRun, releaseEndedRuns, sdkRunState } from "../../../src/engine/program-runs.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** The SDK's per-run state, as its language server makes one for each run of an inline program. */
const sdk = createRequire(import.meta.url)("@pulumi/pulumi/runtime/state.js") as {
  withLocalStorage<T>(run: () => Promise<T>): Promise<T>;
  setStackResource(stack: object): void;
};

/** What outlives a run in the real engine: grpc makes a DNS resolver per channel, and it keeps the run's store. */
const outliving: Resolver[] = [];

/** Runs a "program" that declares a stack the size of a few thousand resources; a weak handle on it. */
async function runProgram(tracked: boolean): Promise<WeakRef<object>> {
  let stack: WeakRef<object> | undefined;
  const body = async () => {
    const declared = { resources: Array.from({ length: 5_000 }, (_, i) => ({ name: `user-${i}` })) };
    sdk.setStackResource(declared);
    stack = new WeakRef(declared);
    outliving.push(new Resolver());
  };
  await sdk.withLocalStorage(() => (tracked ? programRun(body) : body()));
  return stack!;
}

async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  return ref.deref() === undefined;
}

describe("a program run's resources once its engine command ended", () => {
  it("are kept alive by what the run made, without the release (the leak this guards against)", async () => {
    const stack = await runProgram(false);
    // The SDK's global copy, which the next run overwrites, is not what keeps it.
    (globalThis as { stackResource?: unknown }).stackResource = undefined;
    expect(await collected(stack)).toBe(false);
  });

  it("can be collected once released, though what the run made lives on", async () => {
    const stack = await runProgram(true);
    releaseEndedRuns();
    expect(await collected(stack)).toBe(true);
  });
});

describe("when a program run's outcome is decided", () => {
  const run = (body: () => Promise<void>) =>
    sdk.withLocalStorage(async () => {
      const store = sdkRunState();
      const outcome = await programRun(body).then(
        () => "declared",
        () => "failed",
      );
      return { store, outcome };
    });

  it("is as soon as its program fails, before its engine command ends", async () => {
    const { store, outcome } = await run(() => Promise.reject(new Error("cancelled")));
    expect(outcome).toBe("failed");
    expect(isAbandoned(store)).toBe(true);
  });

  it("is, for a program that declared everything, only once its engine command ends", async () => {
    const { store } = await run(async () => undefined);
    expect(isAbandoned(store)).toBe(false);
    releaseEndedRuns();
    expect(isAbandoned(store)).toBe(true);
  });
});
