import { describe, expect, it } from "vitest";
import { readRoster } from "../../../src/load/hr-roster.js";

const source = { file: "roster.csv", columns: { workerId: "ID", givenName: "First", familyName: "Last", startDate: "Start", status: "Status" }, values: { status: { "On Leave": "leave" as const } } };

describe("HR roster", () => {
  it("reads quoted fields, a BOM, CRLF and ; delimiters, mapping columns and values", () => {
    const text = '\uFEFFID;First;Last;Start;Status\r\nW1;"Müller; Jr";Ada;2024-01-01;On Leave\r\n';
    const { workers, findings } = readRoster("hr/roster.csv", text, source);
    expect(findings).toEqual([]);
    expect(workers).toEqual([{ value: expect.objectContaining({ workerId: "W1", givenName: "Müller; Jr", status: "leave" }), at: { file: "hr/roster.csv", line: 2 } }]);
  });
  it("reports a bad row with its line and keeps the others", () => {
    const text = "ID,First,Last,Start,Status\nW1,Ada,King,2024-01-01,active\nW2,Bob,Stone,01/02/2024,active\n";
    const { workers, findings } = readRoster("hr/roster.csv", text, source);
    expect(workers.map((w) => w.value.workerId)).toEqual(["W1"]);
    expect(findings).toMatchObject([{ code: "hr-invalid-value", file: "hr/roster.csv", line: 3 }]);
  });
  it("says which mapped column is missing", () => {
    const { findings } = readRoster("hr/roster.csv", "ID,First,Start\nW1,Ada,2024-01-01\n", source);
    expect(findings).toMatchObject([{ code: "hr-missing-column", message: expect.stringContaining("'Last'") }]);
  });
});
