import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";

/** At most this many causes reach the terminal; the log file has the rest. */
const MAX_CAUSES = 6;
const MAX_CAUSE_LENGTH = 400;

/** The engine's summary lines, which say that something failed but not what. */
const GENERIC = /^(update|preview|refresh|destroy) failed$|^an error occurred$/i;

/**
 * The error messages the engine reported per resource — for a provider step, the target's
 * own answer (a 409 and its detail, a refused update).
 */
export function errorsByUrn(events: readonly EngineEvent[]): Map<string, string[]> {
  const byUrn = new Map<string, string[]>();
  for (const e of events) {
    const d = e.diagnosticEvent;
    if (!d || d.severity !== "error" || !d.urn) continue;
    const message = oneLine(d.message);
    if (!message || GENERIC.test(message)) continue;
    const list = byUrn.get(d.urn) ?? [];
    if (!list.includes(message)) list.push(message);
    byUrn.set(d.urn, list);
  }
  return byUrn;
}

/**
 * Why an engine command failed, in a few lines: the resources' errors first, then the
 * engine's own `error:` lines and any crash. Never the engine's whole output, which names
 * every person the run touched.
 */
export function causesOf(error: unknown, events: readonly EngineEvent[]): string[] {
  const causes: string[] = [];
  const add = (line: string) => {
    const text = oneLine(line);
    if (text && !GENERIC.test(text) && !causes.includes(text)) causes.push(text);
  };
  for (const [urn, messages] of errorsByUrn(events)) for (const m of messages) add(`${nameOf(urn)}: ${m}`);
  for (const e of events) {
    const d = e.diagnosticEvent;
    if (d?.severity === "error" && !d.urn) add(d.message);
  }
  const { stdout, stderr } = outputOf(error);
  for (const line of `${stderr}\n${stdout}`.split("\n")) {
    const engineError = /^\s*error: (.*)$/.exec(line);
    // The engine repeats a resource's error on its own; keep the one that names the resource.
    if (engineError && !causes.some((c) => c.includes(oneLine(engineError[1]!)))) add(engineError[1]!);
    const panic = /^(panic: .*)$/.exec(line);
    if (panic) add(`the Pulumi engine crashed (${panic[1]})`);
  }
  if (causes.length === 0) add(fallback(error));
  const shown = causes.slice(0, MAX_CAUSES).map((c) => (c.length > MAX_CAUSE_LENGTH ? `${c.slice(0, MAX_CAUSE_LENGTH)}…` : c));
  if (causes.length > MAX_CAUSES) shown.push(`… and ${causes.length - MAX_CAUSES} more`);
  return shown;
}

/** The stdout and stderr of an Automation API CommandError, or nothing for any other error. */
export function outputOf(error: unknown): { stdout: string; stderr: string } {
  const result = (error as { commandResult?: { stdout?: unknown; stderr?: unknown } } | undefined)?.commandResult;
  return { stdout: typeof result?.stdout === "string" ? result.stdout : "", stderr: typeof result?.stderr === "string" ? result.stderr : "" };
}

/** The resource's name (worker ID, catalog key) from its URN: enough to find it, no more. */
export function nameOf(urn: string): string {
  const parts = urn.split("::");
  const type = (parts[2] ?? "").split("$").pop() ?? "";
  return `${type.split(":").pop() ?? type} ${parts.slice(3).join("::")}`.trim();
}

function fallback(error: unknown): string {
  const result = (error as { commandResult?: { code?: unknown; stderr?: unknown } } | undefined)?.commandResult;
  // -2: the Automation API could not run or read the command (killed by a signal, its output
  // past the 100 MB it buffers); the first line of its message says which, and names no one.
  const said = result?.code === -2 && typeof result.stderr === "string" ? (result.stderr.split("\n")[0] ?? "").trim() : "";
  if (said) return `the Pulumi engine could not be run or read: ${said}`;
  if (result) return `the Pulumi engine exited with code ${String(result.code)} and gave no error message`;
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
