// CPU profile of one scale: runs measure.js (load, then 1 + --runs compiles) under
// `node --cpu-prof`, then prints the top functions by self time and by inclusive time, with
// their source file. Needs the scale generated first (run.js or generate.js).
//
//   node bench/compile/.build/bench/compile/profile.js [100000] [--runs 2] [--top 25]
//   node bench/compile/.build/bench/compile/profile.js --summarise FILE.cpuprofile
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, readdir } from "node:fs/promises";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { existingMeta, inputsDir, repoRoot } from "./generate.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

const maps = new Map<string, SourceMap | undefined>();

/** The source map next to a compiled file, if any. */
function mapFor(file: string): SourceMap | undefined {
  if (!maps.has(file)) {
    const mapFile = `${file}.map`;
    maps.set(file, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, "utf8")) as ConstructorParameters<typeof SourceMap>[0]) : undefined);
  }
  return maps.get(file);
}

/**
 * Where a function lives, relative to the repository, as file:line (1-based). Compiled bench
 * copies of src/ are mapped back to the .ts source through their source maps.
 */
function where(url: string, line: number, column: number, root: string): string {
  if (!url) return "(native)";
  let file = url.startsWith("file://") ? fileURLToPath(url) : url;
  let at = line + 1;
  const build = path.join(root, "bench", "compile", ".build") + path.sep;
  if (file.startsWith(build)) {
    const entry = mapFor(file)?.findEntry(line, column) as { originalLine?: number } | undefined;
    if (entry?.originalLine !== undefined) at = entry.originalLine + 1;
    file = file.slice(build.length).replace(/\.js$/, ".ts");
  } else if (file.startsWith(root + path.sep)) file = file.slice(root.length + 1);
  return `${file.replace(/^.*node_modules\//, "node_modules/")}:${at}`;
}

export async function summarise(file: string, top: number): Promise<string> {
  const root = await repoRoot();
  const profile = JSON.parse(await readFile(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (id: number) => {
    const { functionName, url, lineNumber, columnNumber } = byId.get(id)!.callFrame;
    return `${where(url, lineNumber, columnNumber, root)} ${functionName || "(anonymous)"}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    all += dt;
    const k = key(id);
    self.set(k, (self.get(k) ?? 0) + dt);
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const kk = key(n);
      if (seen.has(kk)) continue;
      seen.add(kk);
      total.set(kk, (total.get(kk) ?? 0) + dt);
    }
  });
  const rows = (m: Map<string, number>) =>
    [...m]
      .filter(([k]) => !/^\(native\) \((root|program|idle)\)/.test(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `| ${Math.round(v)} | ${((100 * v) / all).toFixed(1)}% | \`${k}\` |`)
      .join("\n");
  return [
    `Profile ${path.basename(file)}: ${Math.round(all)} ms sampled.`,
    "",
    "Self time:",
    "",
    "| ms | % | file:line function |",
    "|---:|---:|---|",
    rows(self),
    "",
    "Inclusive time:",
    "",
    "| ms | % | file:line function |",
    "|---:|---:|---|",
    rows(total),
  ].join("\n");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let top = 25;
  let runs = 2;
  let scale = 100_000;
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--top") top = Number(args[++i]);
    else if (a === "--runs") runs = Number(args[++i]);
    else if (a === "--summarise") file = args[++i];
    else if (/^\d+$/.test(a)) scale = Number(a);
    else throw new Error(`unknown argument ${a}`);
  }
  if (!file) {
    const dir = await inputsDir(scale);
    const meta = await existingMeta(dir);
    if (!meta) throw new Error(`${dir} is missing or stale: run run.js ${scale} (or generate.js ${scale}) first`);
    const profDir = path.join(await repoRoot(), "bench", ".inputs", "profiles", String(scale));
    await mkdir(profDir, { recursive: true });
    const before = new Set(await readdir(profDir));
    await new Promise<void>((resolve, reject) => {
      const proc = spawn(process.execPath, ["--expose-gc", "--cpu-prof", `--cpu-prof-dir=${profDir}`, path.join(HERE, "measure.js"), "profile", dir, meta.asOf, String(runs)], { stdio: ["ignore", "inherit", "inherit"] });
      proc.on("error", reject);
      proc.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`measure.js exited with ${code}`))));
    });
    const created = (await readdir(profDir)).filter((f) => !before.has(f) && f.endsWith(".cpuprofile"));
    if (created.length === 0) throw new Error("no .cpuprofile written");
    file = path.join(profDir, created[0]!);
  }
  console.log(await summarise(file, top));
}

await main();
