import { lineOf } from "./harness.js";
import { refusals, type Sample } from "./load-support.js";

const latin1 = (s: string) => Buffer.from(s, "latin1");

/** Writes the roster with one row's cell as raw bytes (not UTF-8); returns the row's line. */
async function rawBytes(p: Sample, workerId: string, column: number, bytes: Buffer): Promise<number> {
  const text = await p.read("hr/roster.csv");
  const lines = text.split("\n");
  const index = lines.findIndex((l) => l.startsWith(`${workerId},`));
  const cells = lines[index]!.split(",");
  const before = Buffer.from(lines.slice(0, index).concat(cells.slice(0, column).join(",") + ",").join("\n"));
  const after = Buffer.from("," + cells.slice(column + 1).join(",") + "\n" + lines.slice(index + 1).join("\n"));
  await p.write("hr/roster.csv", Buffer.concat([before, bytes, after]));
  return index + 1;
}

refusals("well-formed identity data: refused at the row", [
  ["latin-1 bytes in a given name", async (p) => ({ code: "hr-invalid-utf8", file: "hr/roster.csv", line: await rawBytes(p, "W1003", 1, latin1("Chloé")) })],
  ["latin-1 bytes in a department", async (p) => ({ code: "hr-invalid-utf8", file: "hr/roster.csv", line: await rawBytes(p, "W1007", 5, latin1("Marketing·")) })],
  ["a NUL byte in a family name", async (p) => ({ code: "hr-control-character", file: "hr/roster.csv", line: await p.setCell("W1001", "Last Name", "Mül\u0000ler") })],
  ["an ANSI escape in a job title", async (p) => ({ code: "hr-control-character", file: "hr/roster.csv", line: await p.setCell("W1004", "Job Title", "\u001b[31mCFO\u001b[0m") })],
  ["a quoted line break inside a family name", async (p) => ({ code: "hr-control-character", file: "hr/roster.csv", line: await p.setCell("W1001", "Last Name", '"Mül\nler"') })],
  ["a tab inside a given name", async (p) => ({ code: "hr-control-character", file: "hr/roster.csv", line: await p.setCell("W1002", "First Name", "Bj\törn") })],
  ["a zero-width copy of a person (new ID, same name plus U+200B)", async (p) => ({ code: "hr-invisible-character", file: "hr/roster.csv", line: await p.copyRow("W1001", { 0: "W1999", 1: "Ada\u200b" }) })],
  ["a Cyrillic look-alike copy of a person", async (p) => ({ code: "hr-mixed-script", file: "hr/roster.csv", line: await p.copyRow("W1001", { 0: "W1998", 1: "\u0410da" }) })],
  ["a Greek omicron in a department name", async (p) => ({ code: "hr-mixed-script", file: "hr/roster.csv", line: await p.setCell("W1010", "Department", "Engineering".replace("i", "\u03bf")) })],
  ["a right-to-left override in a family name", async (p) => ({ code: "hr-invisible-character", file: "hr/roster.csv", line: await p.setCell("W1011", "Last Name", "Men\u202eahs") })],
  ["a no-break space inside a name", async (p) => ({ code: "hr-invisible-character", file: "hr/roster.csv", line: await p.setCell("W1005", "Last Name", "Yıl\u00a0maz") })],
  ["a worker ID with a space", async (p) => ({ code: "hr-invalid-worker-id", file: "hr/roster.csv", line: await p.setCell("W1008", "Employee ID", "W 1008") })],
  ["a worker ID with a slash", async (p) => ({ code: "hr-invalid-worker-id", file: "hr/roster.csv", line: await p.setCell("W1009", "Employee ID", "W1009/x") })],
  ["a worker ID with a non-ASCII letter", async (p) => ({ code: "hr-invalid-worker-id", file: "hr/roster.csv", line: await p.setCell("W1010", "Employee ID", "W1010ñ") })],
  ["a manager ID with a semicolon", async (p) => ({ code: "hr-invalid-worker-id", file: "hr/roster.csv", line: await p.setCell("W1011", "Manager ID", "W1009;W1001") })],
]);

refusals("the export's shape", [
  ["the status column renamed (a terminated person would come back)", async (p) => {
    await p.edit("hr/roster.csv", (t) => t.replace("Employment Status", "Employment State"));
    return { code: "hr-missing-column", file: "hr/roster.csv", line: 1 };
  }],
  ["the Department column dropped", async (p) => {
    await p.edit("hr/roster.csv", (t) => t.replace(",Department,", ",Dept,"));
    return { code: "hr-missing-column", file: "hr/roster.csv", line: 1 };
  }],
  ["a duplicated CSV header (a second Department)", async (p) => {
    await p.edit("hr/roster.csv", (t) => t.replace(/^(.*)$/gm, (line, _l, offset: number) => (line === "" ? line : offset === 0 ? `${line},Department` : `${line},Sales`)));
    return { code: "hr-duplicate-column", file: "hr/roster.csv", line: 1 };
  }],
  ["a header-only roster is 'the export is empty', in validate too", async (p) => {
    await p.edit("hr/roster.csv", (t) => t.split("\n")[0] + "\n");
    return { code: "hr-empty-export", file: "hr/roster.csv", line: 1 };
  }],
  ["a zero-byte roster", async (p) => {
    await p.write("hr/roster.csv", "");
    return { code: "hr-empty-export", file: "hr/roster.csv", line: 1 };
  }],
  ["a duplicated JSON key turning one worker into another", async (p) => {
    const text = await p.asJson((j) => j.replace('"Employee ID": "W1002",', '"Employee ID": "W1002",\n    "Employee ID": "W1001",'));
    return { code: "hr-duplicate-key", file: "hr/roster.json", line: lineOf(text, '"Employee ID": "W1002"') + 1 };
  }],
  ["an empty JSON export", async (p) => {
    await p.asJson(() => "[]\n");
    return { code: "hr-empty-export", file: "hr/roster.json", line: 1 };
  }],
  ["a JSON syntax error is reported at its real line", async (p) => {
    const text = await p.asJson((j) => j.replace('"Employee ID": "W1020",', '"Employee ID": "W1020",,'));
    return { code: "hr-unreadable", file: "hr/roster.json", line: lineOf(text, '"W1020",,') };
  }],
  ["a JSON export whose entries never carry the status key", async (p) => {
    await p.asJson((j) => j.replaceAll('"Employment Status"', '"Status"'));
    return { code: "hr-missing-column", file: "hr/roster.json", line: 2 };
  }],
  ["a JSON entry that is not an object", async (p) => {
    const text = await p.asJson((j) => j.replace("[\n", '[\n  "W1000",\n'));
    return { code: "hr-unreadable", file: "hr/roster.json", line: lineOf(text, '"W1000"') };
  }],
]);
