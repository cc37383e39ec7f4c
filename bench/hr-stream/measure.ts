// One measurement in a fresh process; prints one JSON line (run.ts spawns it).
//
//   node measure.js <desired-state dir> <asOf> load|compile
//
// `load` is loadDesiredState alone (the streamed, bounded read of the HR export); `compile` is
// what `rolecall validate` does with it: load, then compile. Peak RSS is the process's maxRSS.
import { compile } from "../../src/compile/compile.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";

const mb = (kb: number) => Math.round(kb / 1024);

async function main(): Promise<void> {
  const [dir, asOf, mode] = process.argv.slice(2);
  if (!dir || !asOf || (mode !== "load" && mode !== "compile")) throw new Error("usage: measure.js <dir> <asOf> load|compile");
  const startRssMb = mb(process.resourceUsage().maxRSS);
  const t0 = performance.now();
  const inputs = await loadDesiredState(dir);
  const loadMs = performance.now() - t0;
  const loadErrors = inputs.findings.filter((f) => f.severity === "error");
  let compileMs: number | undefined;
  let errors = loadErrors;
  let people: number | undefined;
  if (mode === "compile" && loadErrors.length === 0) {
    const t1 = performance.now();
    const state = compile(inputs, asOf);
    compileMs = performance.now() - t1;
    errors = state.findings.filter((f) => f.severity === "error");
    people = state.people.length;
  }
  const result = {
    rows: inputs.roster.length,
    people,
    loadMs: Math.round(loadMs),
    compileMs: compileMs === undefined ? undefined : Math.round(compileMs),
    startRssMb,
    peakRssMb: mb(process.resourceUsage().maxRSS),
    errors: errors.length,
    firstError: errors[0] ? `${errors[0].file ?? "?"}:${errors[0].line ?? "?"} ${errors[0].code}` : undefined,
  };
  process.stdout.write(JSON.stringify(result) + "\n");
}

await main();
