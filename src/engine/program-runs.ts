import { createRequire } from "node:module";

// Each run of the inline program (a preview, an update) has its own state in the pinned
// @pulumi/pulumi (3.248.0): a store in async-local storage holding the run's stack resource, and
// through it every resource the run declared. Async resources made during the run — grpc's DNS
// resolvers, HTTP/2 streams — keep that store for as long as they live, past the run's end: in a
// heap snapshot of a 3,000-person apply's update, every user of its preview was still there
// beside the update's own. Each reader refuses an SDK that does not have what it reads.

/** The parts of the SDK's per-run store read or dropped here. */
interface RunStore {
  readonly terminated?: boolean;
  stackResource?: unknown;
}

/** The runs that started since the last engine command ended. */
const started = new Set<RunStore>();

/**
 * The SDK's state for the run the caller is in, whose `terminated` it sets when the engine
 * answers a registration with "monitor shutting down" (runtime/settings.js, terminateRpcs) and
 * leaves that registration unsettled. Read inside the program's context.
 */
export function sdkRunState(): RunStore {
  const state = createRequire(import.meta.url)("@pulumi/pulumi/runtime/state.js") as { getStore?: () => unknown };
  const store = state.getStore?.();
  if (typeof store !== "object" || store === null || !("terminated" in store) || !("stackResource" in store)) {
    throw new Error("this @pulumi/pulumi does not expose its run state (runtime/state getStore() with terminated and stackResource); rolecall needs the SDK it pins");
  }
  return store as RunStore;
}

/**
 * Runs whose outcome is decided: their program failed (a cancelled run, the engine gone), or the
 * engine command that ran them ended. What they still had in flight may fail later, when grpc
 * gives up on the engine that served them, and by then the SDK no longer listens for its own
 * unhandled rejections (the outputs it makes for every registration reject with it, read or
 * not): they ended rolecall mid-apply with a stack trace.
 */
const abandoned = new WeakSet<object>();

/** Failures of abandoned runs' registrations (sdk-overhead.ts marks them as they pass). */
const leftovers = new WeakSet<object>();

/** Whether the run that owns this SDK store has had its outcome decided. */
export function isAbandoned(store: object): boolean {
  return abandoned.has(store);
}

/** Marks a failure that reached an abandoned run: still raised to whatever awaits it, never fatal on its own. */
export function markLeftover(error: unknown): void {
  if (typeof error === "object" && error !== null) leftovers.add(error);
}

/**
 * The process's listener for unhandled rejections while rolecall runs programs: a leftover of
 * an abandoned run is dropped; anything else is the SDK's to report while one of its runs
 * listens too, and otherwise ends the process as Node would without this listener.
 */
export function onUnhandledRejection(reason: unknown): void {
  if (typeof reason === "object" && reason !== null && leftovers.has(reason)) return;
  if (process.listenerCount("unhandledRejection") > 1) return;
  throw reason;
}

/**
 * The inline program's body, as one run: the run whose resources releaseEndedRuns lets go, and
 * which is abandoned as soon as the body fails.
 */
export async function programRun<T>(body: () => Promise<T>): Promise<T> {
  const store = sdkRunState();
  started.add(store);
  if (!process.listeners("unhandledRejection").includes(onUnhandledRejection)) process.on("unhandledRejection", onUnhandledRejection);
  try {
    return await body();
  } catch (error) {
    abandoned.add(store);
    throw error;
  }
}

/**
 * Drops the stack resource of every run that started, and abandons the run, once the engine
 * command that ran them has ended: the next command's run (an update after its preview) then
 * does not carry the previous run's resources, and nothing after the last one does either. A command that failed (cancelled,
 * the engine gone) may leave its run still declaring; what it declares then has no stack parent,
 * and the engine refuses it anyway.
 */
export function releaseEndedRuns(): void {
  const global = globalThis as { stackResource?: unknown };
  for (const store of started) {
    // The SDK also leaves the latest run's stack resource on the global object, and never reads it.
    if (global.stackResource === store.stackResource) global.stackResource = undefined;
    store.stackResource = undefined;
    abandoned.add(store);
  }
  started.clear();
}
