import * as pulumi from "@pulumi/pulumi";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";

/**
 * Marks the warnings a target logs for a value another writer changed and rolecall leaves as it
 * is (an account an administrator disabled or locked): plan and apply print these, where the
 * engine's other diagnostics only go to its log.
 */
export const DRIFT_MARK = "drift: ";

/** Logs one such report against the resource it is about. */
export function reportDrift(message: string, resource: pulumi.Resource): void {
  pulumi.log.warn(`${DRIFT_MARK}${message}`, resource);
}

/** The drift reports among an engine run's events, without the mark, in order. */
export function driftReports(events: readonly EngineEvent[]): string[] {
  return events.flatMap((e) => {
    const d = e.diagnosticEvent;
    return d?.severity === "warning" && d.message.startsWith(DRIFT_MARK) ? [d.message.slice(DRIFT_MARK.length).trim()] : [];
  });
}
