import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, it } from "vitest";
import { appliedSteps, EngineRecord } from "../../../src/evidence/steps.js";
import type { PlanStep } from "../../../src/model/plan.js";

const urn = (name: string) => `urn:pulumi:local::rolecall::rolecall:targets:Scim$rolecall-scim:index:User::${name}`;
const step = (op: string, name: string): PlanStep => ({ op, urn: urn(name), type: "rolecall-scim:index:User", name, target: "scim", diffs: [] });
const outputs = (op: string, name: string) => ({ sequence: 0, timestamp: 0, resOutputsEvent: { metadata: { op, urn: urn(name), type: "t" } } }) as unknown as EngineEvent;
const failed = (op: string, name: string) => ({ sequence: 0, timestamp: 0, resOpFailedEvent: { metadata: { op, urn: urn(name), type: "t" }, status: 1, steps: 1 } }) as unknown as EngineEvent;

describe("each applied step's real outcome", () => {
  const planned = [step("update", "W1"), step("delete", "W2"), step("update", "W3"), step("create", "W4")];
  const events = [outputs("delete", "W2"), failed("update", "W1"), failed("update", "W3")];
  const errors = new Map([
    [urn("W1"), ["HTTP 409 (uniqueness)"]],
    [urn("W3"), ["socket hang up"]],
  ]);

  it("without a read-back, a step the engine did not report done is unknown, never failed by assumption", () => {
    expect(appliedSteps(planned, EngineRecord.of(events), errors)).toEqual([
      { op: "update", urn: urn("W1"), outcome: "unknown", error: "HTTP 409 (uniqueness)" },
      { op: "delete", urn: urn("W2"), outcome: "done" },
      { op: "update", urn: urn("W3"), outcome: "unknown", error: "socket hang up" },
      { op: "create", urn: urn("W4"), outcome: "unknown" },
    ]);
  });

  it("the read-back settles it: a write that happened is done, the rest failed or skipped, every failure with its cause", () => {
    const readBack = [step("update", "W1"), step("same", "W3"), step("create", "W4")];
    expect(appliedSteps(planned, EngineRecord.of(events), errors, readBack)).toEqual([
      { op: "update", urn: urn("W1"), outcome: "failed", readBack: true, error: "HTTP 409 (uniqueness)" },
      { op: "delete", urn: urn("W2"), outcome: "done" },
      { op: "update", urn: urn("W3"), outcome: "done", readBack: true, error: "socket hang up" },
      { op: "create", urn: urn("W4"), outcome: "skipped", readBack: true },
    ]);
  });
});

describe("the record of an engine run", () => {
  const pre = (op: string, name: string) => ({ sequence: 0, timestamp: 0, resourcePreEvent: { metadata: { op, urn: urn(name), type: "rolecall-scim:index:User", provider: "" } } }) as unknown as EngineEvent;
  const diagnostic = (severity: string, message: string) => ({ sequence: 0, timestamp: 0, diagnosticEvent: { severity, message, color: "never", urn: urn("W1") } }) as unknown as EngineEvent;

  it("counts the same and refresh steps every resource gets, and keeps only the others", () => {
    const record = EngineRecord.of([pre("refresh", "W1"), pre("same", "W1"), pre("refresh", "W2"), pre("update", "W2"), outputs("same", "W1"), outputs("update", "W2")]);
    expect(record.steps.map((s) => `${s.op} ${s.name}`)).toEqual(["update W2"]);
    expect(record.counts).toEqual({ refresh: 2, same: 1, update: 1 });
    expect([...record.done]).toEqual([`update ${urn("W2")}`]);
  });

  it("keeps the errors and the drift reports, not the other diagnostics", () => {
    const record = EngineRecord.of([diagnostic("info", "reading"), diagnostic("warning", "deprecated"), diagnostic("warning", "drift: okta user W1 is LOCKED_OUT"), diagnostic("error", "HTTP 409")]);
    expect(record.diagnostics.map((e) => e.diagnosticEvent!.message)).toEqual(["drift: okta user W1 is LOCKED_OUT", "HTTP 409"]);
  });
});
