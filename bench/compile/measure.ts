// One measurement in a fresh process (run.ts spawns it; its stdout is one JSON line).
//
//   node --expose-gc measure.js time <dir> <asOf> <runs>
//     load once, one warm-up compile (reported as "first"), then <runs> compiles, each after a
//     forced GC, reported with their median.
//   node measure.js rss <dir> <asOf>
//     what `rolecall compile` does: load and compile once; peak RSS after each step.
//   node --expose-gc measure.js json <dir> <asOf>
//     load, compile, then JSON.stringify(state, null, 2) as `rolecall compile` prints it.
//   node --cpu-prof measure.js profile <dir> <asOf> <runs>
//     load, then 1 + <runs> compiles and nothing else (profile.ts summarises the profile).
import { compile } from "../../src/compile/compile.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import type { DesiredState } from "../../src/model/desired-state.js";

export interface Counts {
  people: number;
  accounts: number;
  roleAssignments: number;
  memberships: number;
  errors: number;
  warnings: number;
  infos: number;
  firstErrors: string[];
}

export interface TimeResult extends Counts {
  mode: "time";
  loadMs: number;
  firstCompileMs: number;
  compileMs: number[];
  /** CPU time (user + system, all threads: includes V8's parallel GC helpers) of each timed compile. */
  compileCpuMs: number[];
}

export interface JsonResult {
  mode: "json";
  stringifyMs: number;
  jsonBytes: number;
  peakRssMb: number;
}

export interface RssResult {
  mode: "rss";
  baselineRssMb: number;
  afterLoadRssMb: number;
  peakRssMb: number;
  heapUsedMb: number;
}

const mb = (kb: number) => Math.round(kb / 1024);

function counts(state: DesiredState): Counts {
  const errors = state.findings.filter((f) => f.severity === "error");
  return {
    people: state.people.length,
    accounts: state.targets.scim?.users.length ?? 0,
    roleAssignments: state.people.reduce((s, p) => s + p.roles.length, 0),
    memberships: (state.targets.scim?.groups ?? []).reduce((s, g) => s + g.members.length, 0),
    errors: errors.length,
    warnings: state.findings.filter((f) => f.severity === "warning").length,
    infos: state.findings.filter((f) => f.severity === "info").length,
    firstErrors: errors.slice(0, 10).map((f) => `${f.file ?? "?"}:${f.line ?? "?"} ${f.code}: ${f.message}`),
  };
}

async function main(): Promise<void> {
  const [modeArg, dir, asOf, runsArg] = process.argv.slice(2);
  const modes = ["time", "rss", "json", "profile"] as const;
  const mode = modes.find((m) => m === modeArg);
  if (!dir || !asOf || !mode) throw new Error("usage: measure.js time|rss|json|profile <dir> <asOf> [runs]");
  const gc = (globalThis as { gc?: () => void }).gc;

  if (mode === "json") {
    // Serialised as `rolecall compile` prints it (src/cli/commands/compile.ts: indent 2).
    const state = compile(await loadDesiredState(dir), asOf);
    gc?.();
    const t = performance.now();
    const json = JSON.stringify(state, null, 2);
    const result: JsonResult = { mode, stringifyMs: performance.now() - t, jsonBytes: Buffer.byteLength(json), peakRssMb: mb(process.resourceUsage().maxRSS) };
    process.stdout.write(JSON.stringify(result) + "\n");
    return;
  }
  if (mode === "rss") {
    const baselineRssMb = mb(process.resourceUsage().maxRSS);
    const inputs = await loadDesiredState(dir);
    const afterLoadRssMb = mb(process.resourceUsage().maxRSS);
    const state = compile(inputs, asOf);
    const result: RssResult = { mode, baselineRssMb, afterLoadRssMb, peakRssMb: mb(process.resourceUsage().maxRSS), heapUsedMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20) };
    if (state.people.length < 0) throw new Error("unreachable: keeps the result alive until measured");
    process.stdout.write(JSON.stringify(result) + "\n");
    return;
  }

  const runs = Number(runsArg ?? 5);
  if (mode === "profile") {
    const inputs = await loadDesiredState(dir);
    let people = 0;
    for (let i = 0; i <= runs; i++) people += compile(inputs, asOf).people.length;
    process.stdout.write(JSON.stringify({ mode, people }) + "\n");
    return;
  }
  let t = performance.now();
  const inputs = await loadDesiredState(dir);
  const loadMs = performance.now() - t;

  t = performance.now();
  let state: DesiredState | undefined = compile(inputs, asOf);
  const firstCompileMs = performance.now() - t;
  const found = counts(state);
  // Drop each result before the next compile: a live 100k-worker result (GBs) would otherwise
  // make every GC during the next compile trace it, which `rolecall compile` never pays.
  state = undefined;

  const compileMs: number[] = [];
  const compileCpuMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc?.();
    const cpu = process.cpuUsage();
    t = performance.now();
    state = compile(inputs, asOf);
    compileMs.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    compileCpuMs.push((used.user + used.system) / 1000);
    if (state.people.length !== found.people) throw new Error("compile is not deterministic");
    state = undefined;
  }
  const result: TimeResult = { mode, loadMs, firstCompileMs, compileMs, compileCpuMs, ...found };
  process.stdout.write(JSON.stringify(result) + "\n");
}

await main();
