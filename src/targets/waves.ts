import type * as pulumi from "@pulumi/pulumi";
import { sdkRunState } from "../engine/program-runs.js";
import { answered } from "./registration-answers.js";

/**
 * How many of a component's resources may wait on the engine at once. The Node SDK holds
 * ~130 KB of promises, closures and serialised inputs per resource until the engine answers its
 * registration, and ~1 KB once it has: a program that declares everything at once has them all
 * waiting (2.6 GB RSS at 10,000 people; at 3,000 the initial apply ran out of a 400 MB heap,
 * bench/apply/RESULTS.md). The engine runs at most its parallelism of steps at once
 * (GOMAXPROCS × 4, or a target's cap), so a few hundred waiting keep it as busy as ten thousand do.
 */
export const REGISTRATIONS_IN_FLIGHT = 256;

/** How often a declaration waiting for a slot looks whether the engine has shut its monitor. */
const TERMINATION_POLL_MS = 250;

/** The engine shut its resource monitor while registrations were unanswered: they never will be. */
export class EngineStoppedAnswering extends Error {
  constructor(unanswered: number) {
    super(`the engine stopped answering resource registrations with ${unanswered} unanswered; the run was cancelled or the engine failed, and nothing more is declared`);
    this.name = "EngineStoppedAnswering";
  }
}

/**
 * Declares one resource per item, in order, never more than `inFlight` whose registration the
 * engine has not answered. Resolves once every registration has been answered, whether it
 * succeeded or failed (a failure is the engine's to report). Rejects with EngineStoppedAnswering
 * when the engine shuts its monitor first (a cancelled run), rather than wait forever: the SDK
 * leaves those registrations unsettled. `declare` must not depend on an item declared later, or
 * a full window would wait on resources it never declares.
 */
export async function declareInWaves<T, R extends pulumi.Resource>(items: Iterable<T>, declare: (item: T) => R, inFlight = REGISTRATIONS_IN_FLIGHT): Promise<R[]> {
  const runtime = sdkRunState();
  const declared: R[] = [];
  let waiting = 0;
  let freed: (() => void) | undefined;
  let stop: ((error: Error) => void) | undefined;
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  stopped.catch(() => undefined);
  const watch = setInterval(() => {
    if (runtime.terminated) stop!(new EngineStoppedAnswering(waiting));
  }, TERMINATION_POLL_MS);
  watch.unref();
  const slot = () => Promise.race([new Promise<void>((resolve) => (freed = resolve)), stopped]);
  try {
    for (const item of items) {
      while (waiting >= inFlight) await slot();
      const resource = declare(item);
      declared.push(resource);
      waiting++;
      void answered(resource).then(() => {
        waiting--;
        freed?.();
      });
    }
    while (waiting > 0) await slot();
  } finally {
    clearInterval(watch);
  }
  return declared;
}
