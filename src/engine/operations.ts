import type { EngineEvent, Stack } from "@pulumi/pulumi/automation/index.js";
import type { EngineLog } from "./engine-log.js";
import { EngineError } from "./errors.js";
import { causesOf } from "./failure.js";

type Progress = (line: string) => void;

/** What one engine command did: its events, and its failure if it failed. */
export interface EngineRun {
  events: EngineEvent[];
  error?: EngineError;
}

/**
 * Previews the stack and collects the engine's events — the raw material of the plan.
 * `refresh` reads every resource from its target first so drift shows up as changes; apply
 * has refreshed the state already and passes false. A failed preview throws, with its causes.
 */
export async function preview(stack: Stack, log: EngineLog, progress: Progress, opts: { refresh: boolean; events?: EngineEvent[] }): Promise<EngineEvent[]> {
  const run = await engineCommand("previewing", log, progress, (onEvent, out) => stack.preview({ onEvent, ...out, color: "never", refresh: opts.refresh }), "environment", opts.events);
  if (run.error) throw run.error;
  return run.events;
}

/**
 * Brings the state in line with what the targets hold. `clearPendingCreates` drops creates an
 * interrupted update left unresolved; the next update creates them again, and providers adopt
 * what already exists (the SCIM provider by externalId).
 */
export async function refresh(stack: Stack, log: EngineLog, progress: Progress, opts: { clearPendingCreates: boolean }): Promise<EngineEvent[]> {
  const run = await engineCommand("refreshing", log, progress, (onEvent, out) => stack.refresh({ onEvent, ...out, color: "never", clearPendingCreates: opts.clearPendingCreates }));
  if (run.error) throw run.error;
  return run.events;
}

/**
 * Applies the stack. With continue-on-error, one failing step (a refused rename) does not stop
 * independent ones (a leaver's delete elsewhere). Never throws for a failed update: the events
 * are the record of what was done, and the error carries the causes.
 */
export async function up(stack: Stack, log: EngineLog, progress: Progress): Promise<EngineRun> {
  return engineCommand("applying", log, progress, (onEvent, out) => stack.up({ onEvent, ...out, color: "never", refresh: false, continueOnError: true }), "update");
}

type Command = (onEvent: (e: EngineEvent) => void, out: { onOutput: (s: string) => void; onError: (s: string) => void }) => Promise<unknown>;

/**
 * Runs one engine command with its whole output going to the log file, a progress line every
 * few seconds, and any failure turned into an EngineError with its causes.
 */
async function engineCommand(verb: string, log: EngineLog, progress: Progress, command: Command, kind: EngineError["kind"] = "environment", events: EngineEvent[] = []): Promise<EngineRun> {
  const started = Date.now();
  log.note(`${verb}`);
  const timer = setInterval(() => {
    const done = events.filter((e) => e.resOutputsEvent).length;
    progress(`${verb}… ${done} resource steps done, ${Math.round((Date.now() - started) / 1000)}s`);
  }, 5_000);
  try {
    await command((e) => events.push(e), { onOutput: (s) => log.write(s), onError: (s) => log.write(s) });
    return { events };
  } catch (error) {
    log.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
    const what = verb === "applying" ? "the update failed" : `${verb.replace(/ing$/, "")} failed`;
    return { events, error: new EngineError(what, causesOf(error, events), log.file, kind) };
  } finally {
    clearInterval(timer);
  }
}
