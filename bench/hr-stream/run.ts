// Streamed HR export at scale: load (and compile) of a generated roster, time and peak RSS.
//
//   npx tsc -p bench/hr-stream/tsconfig.json
//   node bench/hr-stream/.build/bench/hr-stream/run.js [--rows 1000,100000,1000000] [--formats csv,json] [--compile-up-to 100000]
//
// For each scale and format, writes the sample desired-state folder with a generated roster of
// that many rows into bench/.inputs/hr-stream/<format>-<rows>/ (git-ignored; policy limits raised
// so the export is accepted), then measures it in a fresh process. The baseline is measured in
// the same run: the sample's own folder (48 rows), loaded and compiled the same way. A second
// 1M-row measurement keeps the default limits, where the export is refused at the row limit.
// Prints a markdown table. Nothing here asserts a time.
import { execFile } from "node:child_process";
import { cp, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const REPO = fileURLToPath(new URL("../../../../../", import.meta.url));
const SAMPLE = path.join(REPO, "desired-state");
const AS_OF = "2026-11-25";
const { values } = parseArgs({ options: { rows: { type: "string", default: "1000,100000,1000000" }, formats: { type: "string", default: "csv,json" }, "compile-up-to": { type: "string", default: "100000" } } });

const HEADER = ["Employee ID", "First Name", "Last Name", "Preferred Name", "Work Email", "Department", "Cost Center", "Location", "Job Title", "Manager ID", "Worker Type", "Employment Status", "Hire Date", "Termination Date"];
const GIVEN = ["Ada", "Björn", "Chiara", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ines", "Jonas", "Kemal", "Lena", "Marta", "Nils", "Olga", "Pavel"];
const FAMILY = ["Okafor", "Müller", "Rossi", "Novak", "Yilmaz", "Haddad", "Petrov", "Sato", "García", "Larsen", "Kowalski", "Dubois"];
const DEPTS: [string, string][] = [["Engineering", "CC-200"], ["Sales", "CC-300"], ["Finance", "CC-400"], ["People", "CC-500"], ["Marketing", "CC-600"]];

/** Row i of the generated roster: W1001 heads everyone (the sample's CEO), ~3% leavers, ~2% on leave. */
function cells(i: number): string[] {
  const id = `W${1001 + i}`;
  const [dept, cc] = DEPTS[i % DEPTS.length]!;
  const manager = i === 0 ? "" : `W${1001 + Math.floor((i - 1) / 8)}`;
  const leaver = i > 0 && i % 33 === 0;
  const leave = i > 0 && i % 50 === 7;
  const status = leaver ? "Terminated" : leave ? "On Leave" : "Active";
  return [id, GIVEN[i % GIVEN.length]!, `${FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length]}${i}`, "", "", dept, cc, "Berlin", "Engineer", manager, "Employee", status, "2020-01-01", leaver ? "2026-10-01" : ""];
}

async function generate(rows: number, format: "csv" | "json", limits: boolean): Promise<string> {
  const dir = path.join(REPO, "bench", ".inputs", "hr-stream", `${format}-${rows}${limits ? "" : "-default-limits"}`);
  await rm(dir, { recursive: true, force: true });
  await cp(SAMPLE, dir, { recursive: true });
  // Leaders, owners and approvers the sample names are W1001–W1048: they exist here too, active.
  const file = path.join(dir, "hr", `roster.${format}`);
  const chunks: string[] = [];
  if (format === "csv") {
    chunks.push(HEADER.join(",") + "\r\n");
    for (let i = 0; i < rows; i++) chunks.push(cells(i).join(",") + "\r\n");
  } else {
    chunks.push("[\n");
    for (let i = 0; i < rows; i++) chunks.push(`  ${JSON.stringify(Object.fromEntries(cells(i).flatMap((v, c) => (v === "" ? [] : [[HEADER[c]!, v]]))))}${i + 1 < rows ? "," : ""}\n`);
    chunks.push("]\n");
  }
  await writeFile(file, chunks.join(""));
  if (format === "json") {
    await rm(path.join(dir, "hr", "roster.csv"));
    const source = path.join(dir, "hr", "source.yaml");
    await writeFile(source, (await readFile(source, "utf8")).replace(/^file: .*$/m, "file: roster.json"));
  }
  const policy = path.join(dir, "policy.yaml");
  let text = (await readFile(policy, "utf8")).replace(/minRosterSize: \d+/, "minRosterSize: 10");
  if (limits) text = `${text.trimEnd()}\nlimits:\n  maxRows: 2000000\n  maxExportBytes: 536870912\n`;
  await writeFile(policy, text);
  return dir;
}

interface Measured {
  rows: number;
  people?: number;
  loadMs: number;
  compileMs?: number;
  startRssMb: number;
  peakRssMb: number;
  errors: number;
  firstError?: string;
}

function measure(dir: string, mode: "load" | "compile"): Promise<Measured> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [fileURLToPath(new URL("./measure.js", import.meta.url)), dir, AS_OF, mode], { maxBuffer: 1 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${dir} ${mode}: ${stderr}`)) : resolve(JSON.parse(stdout) as Measured),
    );
  });
}

const row = (what: string, bytes: string, mode: string, m: Measured) =>
  `| ${what} | ${bytes} | ${mode} | ${m.rows.toLocaleString("en")} | ${m.loadMs.toLocaleString("en")} | ${m.compileMs?.toLocaleString("en") ?? "—"} | ${m.peakRssMb} | ${m.errors === 0 ? "none" : `${m.errors} (${m.firstError})`} |`;

async function main(): Promise<void> {
  const scales = values.rows.split(",").map(Number);
  const formats = values.formats.split(",") as ("csv" | "json")[];
  const compileUpTo = Number(values["compile-up-to"]);
  const lines = [
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}; load average at start ${loadavg().map((l) => l.toFixed(1)).join(" ")}`,
    "",
    "| input | export size | measured | rows | load ms | compile ms | peak RSS MB | errors |",
    "|---|---:|---|---:|---:|---:|---:|---|",
  ];
  for (const mode of ["load", "compile"] as const) lines.push(row("baseline: the sample folder", "4 KB", mode, await measure(SAMPLE, mode)));
  for (const format of formats) {
    for (const rows of scales) {
      const dir = await generate(rows, format, true);
      const bytes = (await readFile(path.join(dir, "hr", `roster.${format}`))).length;
      const size = bytes < 2 ** 20 ? `${Math.round(bytes / 1024)} KB` : `${Math.round(bytes / 2 ** 20)} MB`;
      lines.push(row(`${format}, ${rows.toLocaleString("en")} rows`, size, "load", await measure(dir, "load")));
      if (rows <= compileUpTo) lines.push(row(`${format}, ${rows.toLocaleString("en")} rows`, size, "compile", await measure(dir, "compile")));
      await rm(dir, { recursive: true, force: true });
    }
  }
  const refused = await generate(Math.max(...scales), "csv", false);
  lines.push(row(`csv, ${Math.max(...scales).toLocaleString("en")} rows, default limits`, "—", "load", await measure(refused, "load")));
  await rm(refused, { recursive: true, force: true });
  lines.push("", `load average at end ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  process.stdout.write(lines.join("\n") + "\n");
}

await main();
