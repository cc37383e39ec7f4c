import { createRequire } from "node:module";
import { isAbandoned, markLeftover } from "./program-runs.js";

// What the pinned @pulumi/pulumi (3.248.0) does for every resource a program declares that no
// rolecall run reads, and costs it most of its CPU at scale. Turned off while an engine command
// runs the inline program (measured in bench/apply/RESULTS.md, initial apply of 10,000 people);
// PULUMI_DEBUG_PROMISE_LEAKS, the SDK's own switch for debugging it, keeps all of it on.

const sdk = createRequire(import.meta.url);

interface SdkLog {
  debug: (...args: unknown[]) => Promise<void>;
}

interface SdkDebuggable {
  debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
}

interface SdkState {
  getStore: () => { leakCandidates?: unknown };
}

interface SdkResource {
  Resource: { stackTrace: (skip: number) => unknown[] };
}

const log = sdk("@pulumi/pulumi/log/index.js") as SdkLog;
const debuggable = sdk("@pulumi/pulumi/runtime/debuggable.js") as SdkDebuggable;
const state = sdk("@pulumi/pulumi/runtime/state.js") as SdkState;
const resource = sdk("@pulumi/pulumi/resource.js") as SdkResource;

/**
 * Debug messages, three per registration, are sent to the engine one after another (the SDK
 * chains its log calls to keep them in order), and the engine drops them unless run with
 * --debug, which rolecall never asks for: at 10,000 people each preview and update went on for
 * 25 s after its last step, sending them.
 */
const dropDebug = () => Promise.resolve();

/**
 * Each registration's call stack, for Pulumi Cloud's resource view: the SDK takes a whole stack
 * (no frame limit), parses every frame and turns each path into a URL, and the engine keeps a
 * dozen frames per resource in the state — 5.4 of the 41.5 MB of a 10,000-person state, copied by
 * every export, import and checkpoint, and naming this machine's install paths. No rolecall
 * output reads it.
 */
const noStackTrace = (): unknown[] => [];

/**
 * The SDK's promise bookkeeping without its decorations: every promise still counts as a leak
 * candidate until it settles, as before; only the stack trace, id and label stamped on each
 * (read by the leak report alone) are left out. A failure after its run was abandoned is
 * marked as its leftover (program-runs.ts) and raised as before: the SDK's own awaits must
 * still see it, or the registration never counts as done and its run never disconnects.
 */
function tracked<T>(p: Promise<T>): Promise<T> {
  const store = state.getStore();
  const candidates = store.leakCandidates as Set<Promise<unknown>>;
  candidates.add(p);
  return p.then(
    (value) => {
      candidates.delete(p);
      return value;
    },
    (error: unknown) => {
      candidates.delete(p);
      if (isAbandoned(store)) markLeftover(error);
      if (typeof error === "object" && error !== null) (error as { promise?: unknown }).promise = p;
      throw error;
    },
  );
}

function requireShape(): void {
  if (typeof log.debug !== "function" || typeof debuggable.debuggablePromise !== "function" || typeof resource.Resource.stackTrace !== "function" || !(state.getStore().leakCandidates instanceof Set)) {
    throw new Error("this @pulumi/pulumi does not have the log.debug, debuggablePromise, Resource.stackTrace and leak candidates rolecall tunes; rolecall needs the SDK it pins");
  }
}

/** Runs `work` (one engine command) with the SDK's per-resource overhead turned off, restoring it after. */
export async function withoutSdkOverhead<T>(work: () => Promise<T>): Promise<T> {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return work();
  requireShape();
  const saved = { stackTraceLimit: Error.stackTraceLimit, debug: log.debug, debuggablePromise: debuggable.debuggablePromise, stackTrace: resource.Resource.stackTrace };
  // The SDK also makes an Error per registration in advance, for a failure it may report; one
  // frame of it is enough.
  Error.stackTraceLimit = 1;
  log.debug = dropDebug;
  debuggable.debuggablePromise = tracked;
  resource.Resource.stackTrace = noStackTrace;
  try {
    return await work();
  } finally {
    Error.stackTraceLimit = saved.stackTraceLimit;
    log.debug = saved.debug;
    debuggable.debuggablePromise = saved.debuggablePromise;
    resource.Resource.stackTrace = saved.stackTrace;
  }
}
