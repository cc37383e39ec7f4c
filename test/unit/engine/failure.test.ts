import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, it } from "vitest";
import { causesOf, errorsByUrn, nameOf } from "../../../src/engine/failure.js";

const urn = "urn:pulumi:local::rolecall::rolecall:targets:Scim$rolecall-scim:index:User::W1011";
const diag = (message: string, severity: "error" | "warning" | "info" = "error", u?: string): EngineEvent =>
  ({ sequence: 0, timestamp: 0, diagnosticEvent: { message, severity, color: "never", ...(u ? { urn: u } : {}) } }) as EngineEvent;
const commandError = (stderr: string, stdout = "") => Object.assign(new Error(`code: 1\n stdout: ${stdout}\n stderr: ${stderr}`), { commandResult: { stdout, stderr, code: 1 } });

describe("the causes of an engine failure", () => {
  it("are the target's own words per resource, without the engine's repeat or its summary", () => {
    const events = [diag("HTTP 409 (uniqueness): userName taken\n", "error", urn), diag("update failed", "error"), diag("just noise", "warning", urn)];
    expect(errorsByUrn(events).get(urn)).toEqual(["HTTP 409 (uniqueness): userName taken"]);
    const causes = causesOf(commandError("error: HTTP 409 (uniqueness): userName taken\nerror: update failed\n", "Alice Example <alice@example.com>\n"), events);
    expect(causes).toEqual(["User W1011: HTTP 409 (uniqueness): userName taken"]);
  });

  it("never carry the engine's other output (names, emails), only its error lines and crashes", () => {
    const causes = causesOf(commandError("panic: runtime error: nil pointer\ngoroutine 70 [running]:\n", "  ~ W1001 Alice Example alice@example.com\n"), []);
    expect(causes).toEqual(["the Pulumi engine crashed (panic: runtime error: nil pointer)"]);
    expect(causesOf(commandError("error: could not load plugin for okta provider\n"), [])).toEqual(["could not load plugin for okta provider"]);
    expect(causesOf(commandError(""), [])).toEqual([expect.stringContaining("exited with code 1")]);
  });

  it("say why when the Automation API could not run or read the command, in its first line only", () => {
    const killed = { commandResult: { stdout: "", stderr: "Command was killed with SIGKILL (Forced termination): pulumi stack export --stack local\n  ~ W1001 Alice Example", code: -2 } };
    expect(causesOf(Object.assign(new Error("x"), killed), [])).toEqual(["the Pulumi engine could not be run or read: Command was killed with SIGKILL (Forced termination): pulumi stack export --stack local"]);
  });

  it("are a few lines at most", () => {
    const many = Array.from({ length: 20 }, (_, i) => diag(`refused ${i}`, "error", `${urn}${i}`));
    const causes = causesOf(new Error("x"), many);
    expect(causes).toHaveLength(7);
    expect(causes.at(-1)).toContain("14 more");
  });

  it("name a resource by its type and name", () => {
    expect(nameOf(urn)).toBe("User W1011");
  });
});
