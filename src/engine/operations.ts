import type { EngineEvent, Stack } from "@pulumi/pulumi/automation/index.js";
import type { EngineLog } from "./engine-log.js";
import { EngineError } from "./errors.js";
import { causesOf } from "./failure.js";
import { releaseEndedRuns } from "./program-runs.js";
import { withoutSdkOverhead } from "./sdk-overhead.js";

type Progress = (line: string) => void;

/**
 * Takes each engine event as it arrives. Nothing here keeps the events: at 100,000 people a
 * run has several hundred thousand, so the caller folds them into what it needs.
 */
export type EventSink = (event: EngineEvent) => void;

/** What one engine command did: its failure, if it failed. */
export interface EngineRun {
  error?: EngineError;
}

/**
 * How every engine command writes its output to the log: no colour codes, and no stack outputs —
 * the record in them names every person and runs to megabytes at 10,000 people; the plan reads
 * it from the state, never from the display.
 */
const DISPLAY = { color: "never", suppressOutputs: true } as const;

/**
 * Previews the stack, handing every event to `onEvent` — the raw material of the plan.
 * `refresh` reads every resource from its target first so drift shows up as changes; apply
 * has refreshed the state already and passes false. A failed preview throws, with its causes.
 */
export async function preview(stack: Stack, log: EngineLog, progress: Progress, opts: { refresh: boolean; onEvent?: EventSink; only?: Only }): Promise<void> {
  const run = await engineCommand(stack, "previewing", log, progress, (onEvent, out) => stack.preview({ onEvent, ...out, ...DISPLAY, refresh: opts.refresh, ...targetOf(opts.only) }), "environment", opts.onEvent);
  if (run.error) throw run.error;
}

/**
 * Brings the state in line with what the targets hold. `clearPendingCreates` drops creates an
 * interrupted update left unresolved; the next update creates them again, and providers adopt
 * what already exists (the SCIM provider by externalId).
 */
export async function refresh(stack: Stack, log: EngineLog, progress: Progress, opts: { clearPendingCreates: boolean; only?: Only }): Promise<void> {
  // Limited to some resources, the refresh also reads what depends on them (a group holding an account).
  const limit = opts.only ? { ...targetOf(opts.only), targetDependents: true } : {};
  const run = await engineCommand(stack, "refreshing", log, progress, (onEvent, out) => stack.refresh({ onEvent, ...out, ...DISPLAY, clearPendingCreates: opts.clearPendingCreates, ...limit }));
  if (run.error) throw run.error;
}

/**
 * Reads resources back from their targets and compares them with the state, without running
 * the program or writing anything (`pulumi refresh --preview-only`): a resource whose target
 * holds something else ends with a changing step (update, delete), the others with `same`.
 */
export async function previewRefresh(stack: Stack, log: EngineLog, progress: Progress, only: Only, onEvent: EventSink): Promise<void> {
  const run = await engineCommand(stack, "reading back", log, progress, (sink, out) => stack.previewRefresh({ onEvent: sink, ...out, ...DISPLAY, ...targetOf(only) }), "environment", onEvent);
  if (run.error) throw run.error;
}

/**
 * Applies the stack. With continue-on-error, one failing step (a refused rename) does not stop
 * independent ones (a leaver's delete elsewhere). Never throws for a failed update: the events
 * `onEvent` took are the record of what was done, and the error carries the causes.
 */
export async function up(stack: Stack, log: EngineLog, progress: Progress, onEvent: EventSink, only?: Only): Promise<EngineRun> {
  return engineCommand(stack, "applying", log, progress, (sink, out) => stack.up({ onEvent: sink, ...out, ...DISPLAY, refresh: false, continueOnError: true, ...targetOf(only) }), "update", onEvent);
}

/**
 * The resources an engine command is limited to (Pulumi's `--target`): the engine still runs
 * the whole program, but every other resource is left as it is, neither diffed nor refreshed,
 * nor deleted when the program leaves it out.
 */
export interface Only {
  urns: readonly string[];
}

function targetOf(only: Only | undefined): { target?: string[] } {
  if (!only) return {};
  // An empty list would mean no limit at all to the engine: the command would touch everything.
  if (only.urns.length === 0) throw new Error("an engine command limited to no resource at all");
  return { target: [...only.urns] };
}

let commandRunning = false;

type Command = (onEvent: EventSink, out: { onOutput: (s: string) => void; onError: (s: string) => void }) => Promise<unknown>;

/**
 * Runs one engine command with its whole output going to the log file, a progress line every
 * few seconds, and any failure turned into an EngineError with its causes. Of the events it
 * keeps only a count and the error diagnostics those causes are read from.
 */
async function engineCommand(stack: Stack, verb: string, log: EngineLog, progress: Progress, command: Command, kind: EngineError["kind"] = "environment", onEvent?: EventSink): Promise<EngineRun> {
  // One at a time: what is turned off in the SDK and which runs are released are the process's (sdk-overhead.ts, program-runs.ts).
  if (commandRunning) throw new Error(`${verb} while another engine command runs in this process`);
  commandRunning = true;
  const started = Date.now();
  log.note(`${verb}`);
  let done = 0;
  const errors: EngineEvent[] = [];
  const timer = setInterval(() => progress(`${verb}… ${done} resource steps done, ${Math.round((Date.now() - started) / 1000)}s`), 5_000);
  const sink = (e: EngineEvent) => {
    if (e.resOutputsEvent) done++;
    if (e.diagnosticEvent?.severity === "error") errors.push(e);
    onEvent?.(e);
  };
  try {
    await withoutSdkOverhead(() => withoutResultReads(stack, () => command(sink, { onOutput: (s) => log.write(s), onError: (s) => log.write(s) })));
    return {};
  } catch (error) {
    log.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
    const what = verb === "applying" ? "the update failed" : `${verb.replace(/ing$/, "")} failed`;
    return { error: new EngineError(what, causesOf(error, errors), log.file, kind) };
  } finally {
    clearInterval(timer);
    releaseEndedRuns();
    commandRunning = false;
  }
}

/**
 * Runs an Automation API command without the reads it ends with. Stack.up and Stack.refresh
 * finish by reading the stack's outputs twice (once with secrets decrypted) and its last update
 * (history, secrets shown): three more CLI runs per command, secrets in plaintext through this
 * process, for a result rolecall never reads — it takes outputs from its own checkpoint export.
 */
async function withoutResultReads(stack: Stack, command: () => Promise<unknown>): Promise<void> {
  const own = stack as unknown as { outputs: () => Promise<unknown>; info: () => Promise<unknown> };
  own.outputs = async () => ({});
  own.info = async () => undefined;
  try {
    await command();
  } finally {
    // The prototype's methods again, for anything else that asks.
    delete (own as Partial<typeof own>).outputs;
    delete (own as Partial<typeof own>).info;
  }
}
