import { describe, expect, it } from "vitest";
import { csvRecordStartLines, mapWord, readRoster } from "../../../src/load/hr-roster.js";
import { jsonRecords } from "../../../src/load/json-rows.js";
import { parseYamlFile } from "../../../src/load/yaml-file.js";
import { HrSourceSchema, type HrSource } from "../../../src/model/hr-source.js";

const source: HrSource = {
  file: "roster.csv",
  columns: { workerId: "ID", givenName: "First", familyName: "Last", startDate: "Start", status: "Status" },
  values: { status: { "On Leave": "leave" } },
};
const errors = <T extends { severity: string }>(findings: T[]) => findings.filter((f) => f.severity === "error");

describe("HR roster", () => {
  it("reads quoted fields, a BOM, CRLF and ; delimiters, mapping columns and values", async () => {
    const text = '\uFEFFID;First;Last;Start;Status\r\nW1;"Müller; Jr";Ada;2024-01-01;On Leave\r\n';
    const { workers, findings } = await readRoster("hr/roster.csv", text, source);
    expect(findings).toEqual([]);
    expect(workers).toEqual([{ value: expect.objectContaining({ workerId: "W1", givenName: "Müller; Jr", status: "leave" }), at: { file: "hr/roster.csv", line: 2 } }]);
  });

  it("streams a long export without piling up listeners (no leak warning on the user's terminal)", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `W${i},Ada,King,2024-01-01,active\n`);
    async function* chunks() {
      yield Buffer.from("ID,First,Last,Start,Status\n");
      for (let i = 0; i < rows.length; i += 500) yield Buffer.from(rows.slice(i, i + 500).join(""));
    }
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on("warning", onWarning);
    try {
      const { workers } = await readRoster("hr/roster.csv", chunks(), source);
      await new Promise((resolve) => setImmediate(resolve));
      expect(workers).toHaveLength(20_000);
      expect(warnings.map((w) => w.name)).not.toContain("MaxListenersExceededWarning");
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("reports a bad row with its line and keeps the others", async () => {
    const text = "ID,First,Last,Start,Status\nW1,Ada,King,2024-01-01,active\nW2,Bob,Stone,01/02/2024,active\n";
    const { workers, findings } = await readRoster("hr/roster.csv", text, source);
    expect(workers.map((w) => w.value.workerId)).toEqual(["W1"]);
    expect(findings).toMatchObject([{ code: "hr-invalid-value", file: "hr/roster.csv", line: 3, message: expect.stringContaining("column 'Start'") }]);
  });

  it("says which mapped column is missing, an error even for an optional field", async () => {
    const { findings } = await readRoster("hr/roster.csv", "ID,First,Start\nW1,Ada,2024-01-01\n", source);
    expect(findings).toMatchObject([
      { severity: "error", code: "hr-missing-column", line: 1, message: expect.stringContaining("'Last'") },
      { severity: "error", code: "hr-missing-column", line: 1, message: expect.stringContaining("'Status'") },
    ]);
  });

  it("reports the missing column even when the export has no rows", async () => {
    const { findings } = await readRoster("hr/roster.csv", "ID,First,Start\n", source);
    expect(errors(findings)).toContainEqual(expect.objectContaining({ code: "hr-missing-column", message: expect.stringContaining("'Last'") }));
  });

  it("points at the line where a row starts when a quoted field spans lines (CRLF and LF), and refuses the line break", async () => {
    for (const nl of ["\r\n", "\n"]) {
      const text = ["ID,First,Last,Start,Status", 'W1,Ada,"King', 'of', 'Lines",2024-01-01,active', "", "W2,Bob,Stone,bad-date,active", "W3,Cy,Lee,2024-01-01,active"].join(nl) + nl;
      const { workers, findings } = await readRoster("hr/roster.csv", text, source);
      expect(workers.map((w) => [w.value.workerId, w.at.line]), JSON.stringify(nl)).toEqual([["W3", 7]]);
      expect(findings).toMatchObject([
        { code: "hr-control-character", line: 2 },
        { code: "hr-invalid-value", line: 6 },
      ]);
    }
  });

  it("names the record's first line when the CSV cannot be parsed", async () => {
    const header = "ID,First,Last,Start,Status";
    const extra = [header, 'W1,Ada,"K\r\nx",2024-01-01,active', "W2,Bob,Stone,2024-01-01,active,extra"].join("\r\n");
    expect((await readRoster("hr/roster.csv", extra, source)).findings).toMatchObject([{ code: "hr-unreadable", line: 4 }]);
    const unclosed = [header, "W1,Ada,King,2024-01-01,active", 'W2,Bob,"Stone,2024-01-01,active', "W3,Cy,Lee,2024-01-01,active"].join("\n");
    expect((await readRoster("hr/roster.csv", unclosed, source)).findings).toMatchObject([{ code: "hr-unreadable", line: 3 }]);
  });

  it("names the word, the column and the fix for a status word the value map does not know", async () => {
    const text = "ID,First,Last,Start,Status\nW1,Ada,King,2024-01-01,Suspended\nW2,Bob,Stone,2024-01-01,active\n";
    const { workers, findings } = await readRoster("hr/roster.csv", text, source);
    expect(workers.map((w) => w.value.workerId)).toEqual(["W2"]);
    expect(findings).toEqual([
      expect.objectContaining({
        severity: "error",
        code: "hr-invalid-value",
        line: 2,
        message: "worker W1: status 'Suspended' (column 'Status') is not a word rolecall knows",
        hint: expect.stringMatching(/values\.status in hr\/source\.yaml.*Suspended: <active \| leave \| terminated>/),
      }),
    ]);
  });

  it("does the same for a worker type", async () => {
    const withType: HrSource = { ...source, columns: { ...source.columns, workerType: "Type" } };
    const text = "ID,First,Last,Start,Status,Type\nW1,Ada,King,2024-01-01,active,Freelancer\n";
    const { findings } = await readRoster("hr/roster.csv", text, withType);
    expect(findings).toMatchObject([{ code: "hr-invalid-value", message: expect.stringContaining("workerType 'Freelancer' (column 'Type')"), hint: expect.stringContaining("values.workerType") }]);
  });

  it("rejects a value map entry that maps to an unknown value, naming the word, at its line", async () => {
    const yaml = "file: roster.csv\nvalues:\n  status:\n    Active: active\n    Suspended: suspended\n";
    const { findings } = parseYamlFile("hr/source.yaml", yaml, HrSourceSchema);
    expect(findings).toMatchObject([
      { code: "schema", line: 5, message: "values.status.Suspended: maps to 'suspended', but status must be one of active, leave, terminated" },
    ]);
  });

  it("matches value-map words ignoring case, and rolecall's own words without a map", async () => {
    expect(mapWord("ON LEAVE", { "On Leave": "leave" }, ["active", "leave"])).toBe("leave");
    expect(mapWord("Active", {}, ["active", "leave"])).toBe("active");
    expect(mapWord("Paused", {}, ["active", "leave"])).toBeUndefined();
    expect(mapWord("x", { x: "leave", X: "active" }, [])).toBe("leave");
  });

  it("reads xs:date with a zone as its calendar day and 0000-00-00 as no date", async () => {
    const withEnd: HrSource = { ...source, columns: { ...source.columns, endDate: "End" } };
    const text = "ID,First,Last,Start,Status,End\nW1,Ada,King,2024-01-01-08:00,active,0000-00-00\nW2,Bob,Stone,2024-01-01Z,active,2025-06-30+02:00\n";
    const { workers, findings } = await readRoster("hr/roster.csv", text, withEnd);
    expect(findings).toEqual([]);
    expect(workers.map((w) => [w.value.startDate, w.value.endDate])).toEqual([
      ["2024-01-01", undefined],
      ["2024-01-01", "2025-06-30"],
    ]);
  });
});

describe("HR roster from JSON", () => {
  const jsonSource: HrSource = { ...source, file: "roster.json" };

  it("points findings at the line where the entry starts", async () => {
    const text = JSON.stringify(
      [
        { ID: "W1", First: "Ada", Last: "King", Start: "2024-01-01", Status: "active" },
        { ID: "W2", First: "Bob", Last: "Stone", Start: "not a date", Status: "active" },
      ],
      null,
      2,
    );
    const { workers, findings } = await readRoster("hr/roster.json", text, jsonSource);
    expect(workers).toMatchObject([{ value: { workerId: "W1" }, at: { line: 2 } }]);
    expect(findings).toMatchObject([{ code: "hr-invalid-value", line: 9 }]);
    expect(text.split("\n")[8]).toBe("  {");
  });

  it("reads numbers and booleans as text and reads the list under json.records", async () => {
    const text = '{\n  "count": 1,\n  "rows": [\n    {"ID": 42, "First": "Ada", "Last": "King", "Start": "2024-01-01", "Status": "active"}\n  ]\n}\n';
    const { workers, findings } = await readRoster("hr/roster.json", text, { ...jsonSource, json: { records: "rows" } });
    expect(findings).toEqual([]);
    expect(workers).toMatchObject([{ value: { workerId: "42" }, at: { line: 4 } }]);
  });

  it("says how to fix an object export without json.records, and where JSON syntax breaks", async () => {
    expect((await readRoster("hr/roster.json", '{"rows": []}', jsonSource)).findings).toMatchObject([{ code: "hr-unreadable", hint: expect.stringContaining("json.records") }]);
    expect((await readRoster("hr/roster.json", '[\n  {"ID": "W1"},\n  {"ID": "W2",}\n]', jsonSource)).findings).toMatchObject([{ code: "hr-unreadable", line: 3 }]);
    expect((await readRoster("hr/roster.json", '[\n  {"ID": "W1"},\n  "W2"\n]', jsonSource)).findings).toMatchObject([{ code: "hr-unreadable", line: 3, message: expect.stringContaining("entry 2") }]);
  });
});

describe("csvRecordStartLines", () => {
  it("gives each record's first line, header included", async () => {
    expect(csvRecordStartLines("a,b\n1,2\n3,4\n")).toEqual([1, 2, 3]);
    expect(csvRecordStartLines("a,b\r\n1,2\r\n3,4")).toEqual([1, 2, 3]);
  });
  it("keeps quoted line breaks (CRLF, LF, CR) and escaped quotes inside the record", async () => {
    expect(csvRecordStartLines('a,b\r\n1,"x\r\ny"\r\n2,"p ""q""\r\nr\r\ns"\r\n3,z\r\n')).toEqual([1, 2, 4, 7]);
    expect(csvRecordStartLines('a,b\n1,"x\ry"\n2,z\n')).toEqual([1, 2, 4]);
  });
  it("skips empty lines and ignores a BOM", async () => {
    expect(csvRecordStartLines("\uFEFFa,b\n\n1,2\r\n\r\n\r\n2,3\n\n")).toEqual([1, 3, 6]);
    expect(csvRecordStartLines("")).toEqual([]);
  });
});

/** Each entry's start line, with the text fed in chunks of `size` bytes (boundaries anywhere). */
async function entryLines(text: string, key?: string, size = 1 << 16): Promise<number[]> {
  const bytes = Buffer.from(text);
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const lines: number[] = [];
  for await (const record of jsonRecords(chunks(), key)) lines.push(record.line);
  return lines;
}

describe("jsonRecords", () => {
  it("finds the start of each element of a top-level array, whatever the chunking", async () => {
    for (const size of [1, 3, 1 << 16]) {
      expect(await entryLines('[\n  {"a": 1},\n  {\n    "a": 2\n  }\n]', undefined, size)).toEqual([2, 3]);
      expect(await entryLines('[{"a":1},{"a":2}]', undefined, size)).toEqual([1, 1]);
      expect(await entryLines("[]", undefined, size)).toEqual([]);
      expect(await entryLines('[\r\n  {},\r\n  {}\r\n]', undefined, size)).toEqual([2, 3]);
    }
  });
  it("is not misled by brackets, commas and escaped quotes inside strings or nested values", async () => {
    const text = '[\n  {"a": "x, ] [ \\" {", "b": [1,\n 2]},\n  {"c": {"d": [",", "]"]}}\n]';
    expect(JSON.parse(text)).toHaveLength(2);
    expect(await entryLines(text)).toEqual([2, 4]);
  });
  it("finds the array under a key of a top-level object, and only at the top level", async () => {
    const text = '{\n  "meta": {"rows": [0, 0]},\n  "title": "rows",\n  "rows": [\n    {"a": 1},\n\n    {"a": 2}\n  ],\n  "after": [9]\n}';
    expect(await entryLines(text, "rows")).toEqual([5, 7]);
    await expect(entryLines(text, "missing")).rejects.toThrow(/under 'missing'/);
  });
  it("keeps every key given twice in an entry, at the duplicate's line", async () => {
    const text = '[\n  {"a": 1,\n   "b": 2,\n   "a": 3}\n]';
    const records = [];
    for await (const r of jsonRecords((async function* () { yield Buffer.from(text); })(), undefined)) records.push(r);
    expect(records).toMatchObject([{ line: 2, fields: { a: 3, b: 2 }, duplicates: [{ key: "a", line: 4 }] }]);
  });
  it("refuses JSON that ends early or goes on after the document, at the line", async () => {
    await expect(entryLines('[\n  {"a": 1},\n')).rejects.toMatchObject({ line: 2 });
    await expect(entryLines('[\n  {"a": 1}\n]\n]')).rejects.toMatchObject({ line: 4 });
    await expect(entryLines('[\n  {"a" 1}\n]')).rejects.toMatchObject({ line: 2 });
  });
});
