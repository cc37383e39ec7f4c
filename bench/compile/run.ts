// The compile benchmark (issue 3, "Performance"): for each scale, generate the synthetic
// organisation if missing, then measure in fresh child processes:
//   - time: loadDesiredState once, a warm-up compile (reported as "first compile"), then the
//     median of --runs compiles (each after a forced GC);
//   - rss: load + one compile; peak RSS from resourceUsage().maxRSS;
//   - json: load + compile + JSON.stringify(state, null, 2), the rest of what `rolecall compile` does.
// A child that crashes (out of memory) is reported in the table, not fatal.
// Prints a markdown table. Exits 1 when any scale has error findings (the data must compile clean).
//
//   node bench/compile/.build/bench/compile/run.js [1000 10000 100000] [--runs 5] [--regenerate] [--no-json] [--json FILE]
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, readdir, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AS_OF, existingMeta, generate, inputsDir, repoRoot, type GeneratedMeta } from "./generate.js";
import type { JsonResult, RssResult, TimeResult } from "./measure.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));

interface Row {
  meta: GeneratedMeta;
  time: TimeResult;
  rss: Outcome<RssResult>;
  json: Outcome<JsonResult>;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

/** Runs measure.js in a fresh process; a crash (e.g. out of memory) is an outcome, not a throw. */
function child<T>(args: string[], nodeFlags: string[] = []): Promise<Outcome<T>> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...nodeFlags, path.join(HERE, "measure.js"), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    proc.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    proc.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    proc.on("error", reject);
    proc.on("close", (code, signal) => {
      if (code === 0) {
        try {
          return resolve({ ok: true, value: JSON.parse(out.trim().split("\n").pop() ?? "") as T });
        } catch (error) {
          return resolve({ ok: false, error: `no result (${String(error)})` });
        }
      }
      const why = /heap out of memory/.test(err)
        ? `out of memory (${/Mark-Compact \S+ \((\S+)\)/.exec(err)?.[1] ?? "?"} MB heap)`
        : (/^\w*Error: .*$/m.exec(err)?.[0] ?? `exit ${code ?? signal}`);
      console.error(`  measure.js ${args[0]} failed: ${why}`);
      resolve({ ok: false, error: why });
    });
  });
}

/**
 * Which source was measured: HEAD, whether src/ has uncommitted changes, and a hash of the
 * src/ files compiled into bench/compile/.build/ — with a warning when one changed after the build.
 */
async function sourceVersion(): Promise<string> {
  const root = await repoRoot();
  const git = (...args: string[]) => {
    try {
      return execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
    } catch {
      return "";
    }
  };
  const build = path.resolve(HERE, "../..");
  const files = (await readdir(path.join(build, "src"), { recursive: true })).filter((f) => f.endsWith(".js")).map((f) => f.replace(/\.js$/, ".ts")).sort();
  const hash = createHash("sha256");
  const stale: string[] = [];
  for (const f of files) {
    const ts = path.join(root, "src", f);
    hash.update(f).update(await readFile(ts).catch(() => Buffer.from("(deleted)")));
    const [src, out] = await Promise.all([stat(ts).catch(() => undefined), stat(path.join(build, "src", f.replace(/\.ts$/, ".js")))]);
    if (!src || src.mtimeMs > out.mtimeMs) stale.push(`src/${f}`);
  }
  if (stale.length > 0) console.error(`warning: ${stale.join(", ")} changed after the bench build; rebuild with npx tsc -p bench/compile/tsconfig.json`);
  const dirty = git("status", "--porcelain", "--", "src") !== "";
  return `commit ${git("rev-parse", "--short", "HEAD") || "?"}${dirty ? " + uncommitted src/ changes" : ""}; sha256 of the ${files.length} src/ files measured: ${hash.digest("hex").slice(0, 12)}${stale.length > 0 ? ` (STALE BUILD: ${stale.length} changed since)` : ""}`;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (n: number) => n.toLocaleString("en-US");
const ms = (n: number) => fmt(Math.round(n));

function table(rows: Row[], runs: number): string {
  const head = [
    "workers",
    "load (ms)",
    "first compile (ms)",
    `compile, median of ${runs} (ms)`,
    "compile CPU time, median (ms)",
    "µs / worker",
    "load + first compile (ms)",
    "peak RSS (MB)",
    "people",
    "SCIM accounts",
    "role assignments",
    "group memberships",
    "`rolecall compile` JSON (separate process)",
    "errors / warnings / info",
  ];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---:").join("|")}|`];
  for (const { meta, time, rss, json } of rows) {
    const med = median(time.compileMs);
    lines.push(
      `| ${[
        fmt(meta.workers),
        ms(time.loadMs),
        ms(time.firstCompileMs),
        `${ms(med)} (${ms(Math.min(...time.compileMs))}–${ms(Math.max(...time.compileMs))})`,
        ms(median(time.compileCpuMs)),
        ((med * 1000) / meta.workers).toFixed(1),
        ms(time.loadMs + time.firstCompileMs),
        rss.ok ? `${fmt(rss.value.peakRssMb)} (after load ${fmt(rss.value.afterLoadRssMb)})` : `fails: ${rss.error}`,
        fmt(time.people),
        fmt(time.accounts),
        fmt(time.roleAssignments),
        fmt(time.memberships),
        json.ok ? `${fmt(Math.round(json.value.jsonBytes / 2 ** 20))} MB in ${ms(json.value.stringifyMs)} ms, peak RSS ${fmt(json.value.peakRssMb)} MB` : json.error.startsWith("skipped") ? json.error : `fails: ${json.error}`,
        `${time.errors} / ${time.warnings} / ${time.infos}`,
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let runs = 5;
  let regenerate = false;
  let jsonOut: string | undefined;
  let skipJson = false;
  const scales: number[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--runs") runs = Number(args[++i]);
    else if (a === "--regenerate") regenerate = true;
    else if (a === "--json") jsonOut = args[++i];
    else if (a === "--no-json") skipJson = true;
    else if (/^\d+$/.test(a)) scales.push(Number(a));
    else throw new Error(`unknown argument ${a}; usage: run.js [scales…] [--runs N] [--regenerate] [--no-json] [--json FILE]`);
  }
  if (scales.length === 0) scales.push(1000, 10_000, 100_000);
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a positive integer");

  const rows: Row[] = [];
  const source = await sourceVersion();
  const loadBefore = os.loadavg();
  for (const n of scales) {
    const dir = await inputsDir(n);
    let meta = regenerate ? undefined : await existingMeta(dir);
    if (!meta) {
      const t = performance.now();
      meta = await generate(n, dir);
      console.error(`generated ${dir} in ${ms(performance.now() - t)} ms`);
    }
    console.error(`measuring ${fmt(n)} workers (${meta.roles} roles, ${meta.rules} rules, ${meta.grants} grants, ${meta.serviceAccounts} service accounts, as of ${meta.asOf})…`);
    const timed = await child<TimeResult>(["time", dir, meta.asOf, String(runs)], ["--expose-gc"]);
    if (!timed.ok) throw new Error(`timing ${n} workers failed: ${timed.error}`);
    const time = timed.value;
    const rss = await child<RssResult>(["rss", dir, meta.asOf]);
    const json = skipJson ? ({ ok: false, error: "skipped (--no-json)" } as const) : await child<JsonResult>(["json", dir, meta.asOf], ["--expose-gc"]);
    rows.push({ meta, time, rss, json });
    if (time.errors > 0) console.error(`  ${time.errors} error findings, e.g.:\n  ${time.firstErrors.join("\n  ")}`);
  }

  const loadAfter = os.loadavg();
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");
  console.log(table(rows, runs));
  console.log(`\n${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${fmt(Math.round(os.totalmem() / 2 ** 20))} MB RAM, Node ${process.version}; inputs as of ${AS_OF}; measured ${new Date().toISOString()}; load average (1/5/15 min) ${load(loadBefore)} before, ${load(loadAfter)} after\nSource: ${source}`);
  if (jsonOut) await writeFile(jsonOut, JSON.stringify({ machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memMb: Math.round(os.totalmem() / 2 ** 20), node: process.version }, date: new Date().toISOString(), source, loadavg: { before: loadBefore, after: loadAfter }, runs, rows }, null, 2) + "\n");
  if (rows.some((r) => r.time.errors > 0)) process.exitCode = 1;
}

await main();
