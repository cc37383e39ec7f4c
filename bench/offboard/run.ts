// The leaver fast path's latency: from the HR export changing on disk to the leaver's account
// gone from (or disabled in) the sandbox, with `rolecall watch` running as it would on a
// server. Usage (see README.md):
//   node bench/offboard/.build/bench/offboard/run.js <sample|N> [--interval S] [--leavers K]
import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { existingMeta, generate, inputsDir, repoRoot } from "../compile/generate.js";
import { freePort, runRolecall } from "../support/cli.js";

const REPO = await repoRoot();

const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

async function main(): Promise<void> {
  const scale = process.argv[2] ?? "sample";
  const interval = flag("--interval", 5);
  const leavers = flag("--leavers", 1);
  const dir = await mkdtemp(path.join(os.tmpdir(), "rolecall-bench-offboard-"));
  const env: Record<string, string> = { ROLECALL_SANDBOX_PORT: String(await freePort()) };
  try {
    for (const entry of ["Pulumi.yaml", "stacks", "bin", "package.json"]) await cp(path.join(REPO, entry), path.join(dir, entry), { recursive: true });
    for (const entry of ["node_modules", "dist"]) await symlink(path.join(REPO, entry), path.join(dir, entry));
    if (scale === "sample") await cp(path.join(REPO, "desired-state"), path.join(dir, "desired-state"), { recursive: true });
    else {
      const inputs = await inputsDir(Number(scale));
      if (!(await existingMeta(inputs))) await generate(Number(scale), inputs);
      await cp(inputs, path.join(dir, "desired-state"), { recursive: true });
    }
    const applied = await runRolecall(dir, env, "apply", "--yes");
    if (applied.code !== 0) throw new Error(`initial apply failed:\n${applied.out.slice(-4000)}`);
    const listing = async () => JSON.parse((await runRolecall(dir, env, "sandbox", "ls", "--json")).out.split("\n\n")[0]!) as { users: { externalId: string; active: boolean }[] };
    const before = await listing();
    console.log(`# ${scale}: ${before.users.length} accounts; initial apply ${(applied.ms / 1000).toFixed(1)} s; watch --interval ${interval}`);

    const watch = spawn(process.execPath, [path.join(dir, "bin", "rolecall.js"), "watch", "--interval", String(interval), "--settle", "1"], { cwd: dir, env: { ...process.env, ...env, NO_COLOR: "1" }, stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    watch.stderr!.on("data", (d: Buffer) => (log += d.toString()));
    try {
      while (!/offboard exited/.test(log)) await new Promise((r) => setTimeout(r, 500));

      // The leavers: active people of the export's last rows (leaves of the org tree, never a manager).
      const roster = path.join(dir, "desired-state", "hr", "roster.csv");
      const text = await readFile(roster, "utf8");
      // Kept in the export's own line ending: the loader refuses a file that mixes them.
      const eol = text.includes("\r\n") ? "\r\n" : "\n";
      const [header, ...rows] = text.trimEnd().split(/\r?\n/);
      const columns = header!.split(",");
      const status = columns.findIndex((c) => /status/i.test(c));
      const id = columns.findIndex((c) => /id$/i.test(c) && !/manager/i.test(c));
      const active = new Set(before.users.filter((u) => u.active).map((u) => u.externalId));
      const picked = rows.map((r, i) => [r.split(","), i] as const).filter(([cells]) => active.has(cells[id]!) && /active/i.test(cells[status]!)).slice(-leavers);
      const out = [...rows];
      for (const [cells, i] of picked) out[i] = cells.map((c, j) => (j === status ? "Terminated" : c)).join(",");
      const ids = picked.map(([cells]) => cells[id]!);

      const changed = Date.now();
      await writeFile(roster, [header, ...out].join(eol) + eol);
      for (;;) {
        const now = await listing();
        const left = now.users.filter((u) => ids.includes(u.externalId) && u.active);
        if (left.length === 0) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const seconds = (Date.now() - changed) / 1000;
      console.log(`| scale | accounts | leavers | watch interval s | HR change → account gone s |`);
      console.log(`|---|---:|---:|---:|---:|`);
      console.log(`| ${scale} | ${before.users.length} | ${ids.length} | ${interval} | ${seconds.toFixed(1)} |`);
      const runs = [...log.matchAll(/offboard exited (\d+)/g)].map((m) => m[1]);
      console.log(`watch runs: ${runs.join(", ")} (exit codes)`);
    } finally {
      watch.kill("SIGTERM");
      await new Promise((r) => watch.once("exit", r));
    }
  } finally {
    await runRolecall(dir, env, "sandbox", "stop");
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
