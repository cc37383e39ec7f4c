import type { EngineEvent, Stack } from "@pulumi/pulumi/automation/index.js";

export interface EngineRun {
  events: EngineEvent[];
  /** Resource counts per operation, as the engine reports them. */
  resourceChanges: Record<string, number>;
}

type Log = (line: string) => void;

/** Previews the stack, collecting the engine's events (the raw material of the plan). */
export async function preview(stack: Stack, log: Log): Promise<EngineRun> {
  const events: EngineEvent[] = [];
  const ticker = progressTicker("previewing", events, log);
  try {
    const result = await stack.preview({ onEvent: (e) => events.push(e), color: "never" });
    return { events, resourceChanges: result.changeSummary as Record<string, number> };
  } finally {
    ticker.stop();
  }
}

/** Applies the stack (refreshing nothing: drift correction is the preview's job). */
export async function up(stack: Stack, log: Log): Promise<EngineRun> {
  const events: EngineEvent[] = [];
  const ticker = progressTicker("applying", events, log);
  try {
    const result = await stack.up({ onEvent: (e) => events.push(e), color: "never" });
    return { events, resourceChanges: (result.summary.resourceChanges ?? {}) as Record<string, number> };
  } finally {
    ticker.stop();
  }
}

/** A progress line every few seconds on long runs: how many resource steps are done. */
function progressTicker(verb: string, events: EngineEvent[], log: Log) {
  const started = Date.now();
  const timer = setInterval(() => {
    const done = events.filter((e) => e.resOutputsEvent).length;
    log(`${verb}… ${done} resource steps done, ${Math.round((Date.now() - started) / 1000)}s`);
  }, 5_000);
  return { stop: () => clearInterval(timer) };
}
