import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, it } from "vitest";
import { DRIFT_MARK, driftReports } from "../../../src/targets/drift.js";

const diagnostic = (severity: "warning" | "info" | "error", message: string, urn?: string) =>
  ({ sequence: 0, timestamp: 0, diagnosticEvent: { severity, message, color: "never", ...(urn ? { urn } : {}) } }) as unknown as EngineEvent;

describe("drift reports in the engine's events", () => {
  it("keeps the targets' marked warnings, in order, and nothing else the engine says", () => {
    const events = [
      diagnostic("warning", `${DRIFT_MARK}okta user W1 is LOCKED_OUT in Okta\n`, "urn:a"),
      diagnostic("warning", "azuread group 'x' is declared with no members", "urn:b"),
      diagnostic("info", `${DRIFT_MARK}not a warning`),
      diagnostic("error", `${DRIFT_MARK}not a warning either`),
      { sequence: 1, timestamp: 0, preludeEvent: { config: {} } } as unknown as EngineEvent,
      diagnostic("warning", `${DRIFT_MARK}azuread user W2 is disabled in Entra ID`, "urn:c"),
    ];
    expect(driftReports(events)).toEqual(["okta user W1 is LOCKED_OUT in Okta", "azuread user W2 is disabled in Entra ID"]);
  });
});
