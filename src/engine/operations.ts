import type { EngineEvent, Stack } from "@pulumi/pulumi/automation/index.js";

type Log = (line: string) => void;

/**
 * Previews the stack, refreshing first so drift in the targets shows up as changes, and
 * collects the engine's events — the raw material of the plan.
 */
export async function preview(stack: Stack, log: Log): Promise<EngineEvent[]> {
  const events: EngineEvent[] = [];
  await withTicker("previewing", events, log, () => stack.preview({ onEvent: (e) => events.push(e), color: "never", refresh: true }));
  return events;
}

/**
 * Applies the stack the way it was previewed (refresh included, so the update computes the
 * same steps). Events are collected even when the update fails, for the evidence.
 */
export async function up(stack: Stack, log: Log): Promise<{ events: EngineEvent[]; error?: Error }> {
  const events: EngineEvent[] = [];
  try {
    await withTicker("applying", events, log, () => stack.up({ onEvent: (e) => events.push(e), color: "never", refresh: true }));
    return { events };
  } catch (error) {
    return { events, error: error as Error };
  }
}

/** The stack's outputs as the last update left them (the record plans compare against). */
export async function lastOutputs(stack: Stack): Promise<Record<string, unknown>> {
  const outputs = await stack.outputs();
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value]));
}

/** A progress line every few seconds on long runs: how many resource steps are done. */
async function withTicker<T>(verb: string, events: EngineEvent[], log: Log, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const timer = setInterval(() => {
    const done = events.filter((e) => e.resOutputsEvent).length;
    log(`${verb}… ${done} resource steps done, ${Math.round((Date.now() - started) / 1000)}s`);
  }, 5_000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
