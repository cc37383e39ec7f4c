import { Resolver } from "node:dns";
import { createRequire } from "node:module";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { programRunStarted, releaseEndedRuns } from "../../../src/engine/program-runs.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** The SDK's per-run state, as its language server makes one for each run of an inline program. */
const sdk = createRequire(import.meta.url)("@pulumi/pulumi/runtime/state.js") as {
  withLocalStorage(run: () => Promise<void>): Promise<void>;
  setStackResource(stack: object): void;
};

/** What outlives a run in the real engine: grpc makes a DNS resolver per channel, and it keeps the run's store. */
const outliving: Resolver[] = [];

/** Runs a "program" that declares a stack the size of a few thousand resources; a weak handle on it. */
async function programRun(tracked: boolean): Promise<WeakRef<object>> {
  let stack: WeakRef<object> | undefined;
  await sdk.withLocalStorage(async () => {
    if (tracked) programRunStarted();
    const declared = { resources: Array.from({ length: 5_000 }, (_, i) => ({ name: `user-${i}` })) };
    sdk.setStackResource(declared);
    stack = new WeakRef(declared);
    outliving.push(new Resolver());
  });
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
    const stack = await programRun(false);
    // The SDK's global copy, which the next run overwrites, is not what keeps it.
    (globalThis as { stackResource?: unknown }).stackResource = undefined;
    expect(await collected(stack)).toBe(false);
  });

  it("can be collected once released, though what the run made lives on", async () => {
    const stack = await programRun(true);
    releaseEndedRuns();
    expect(await collected(stack)).toBe(true);
  });
});
