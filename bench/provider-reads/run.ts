// Requests per no-op plan against the sandbox, counted at a pass-through proxy, for one or
// more builds of rolecall (e.g. before and after a provider change) on the same deployed
// stack. Usage (see README.md):
//   node bench/provider-reads/.build/bench/provider-reads/run.js <sample|N> [label=distDir ...]
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { existingMeta, generate, inputsDir, repoRoot } from "../compile/generate.js";
import { freePort, runRolecall } from "../support/cli.js";
import { startFaultProxy } from "../../test/support/fault-proxy.js";

const REPO = await repoRoot();

async function main(): Promise<void> {
  const [scale = "sample", ...builds] = process.argv.slice(2);
  const dists = builds.length > 0 ? builds.map((b) => b.split("=") as [string, string]) : [["current", path.join(REPO, "dist")] as [string, string]];
  const dir = await mkdtemp(path.join(os.tmpdir(), "rolecall-bench-reads-"));
  try {
    for (const entry of ["Pulumi.yaml", "stacks", "bin", "package.json"]) await cp(path.join(REPO, entry), path.join(dir, entry), { recursive: true });
    await symlink(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
    if (scale === "sample") {
      await cp(path.join(REPO, "desired-state"), path.join(dir, "desired-state"), { recursive: true });
    } else {
      const inputs = await inputsDir(Number(scale));
      if (!(await existingMeta(inputs))) await generate(Number(scale), inputs);
      await cp(inputs, path.join(dir, "desired-state"), { recursive: true });
    }
    const env: Record<string, string> = { ROLECALL_SANDBOX_PORT: String(await freePort()), PULUMI_CONFIG_PASSPHRASE: "bench-only" };
    const useDist = async (dist: string) => {
      await rm(path.join(dir, "dist"), { force: true });
      await symlink(dist, path.join(dir, "dist"));
    };
    await useDist(dists.at(-1)![1]);
    const started = await runRolecall(dir, env, "sandbox", "start");
    const url = /sandbox running at (\S+)/.exec(started.out)?.[1];
    if (!url) throw new Error(started.out);
    env.ROLECALL_SCIM_TOKEN = (await readFile(path.join(dir, ".rolecall", "sandbox", "token"), "utf8")).trim();
    const proxy = await startFaultProxy({ target: url, seed: 1, rate: 0 });
    env.PULUMI_BACKEND_URL = `file://${path.join(dir, "bench-state")}`;
    await mkdir(path.join(dir, "bench-state"));
    await writeFile(path.join(dir, "stacks", "Pulumi.bench.yaml"), `config:\n  rolecall:targets:\n    scim:\n      endpoint: ${proxy.url}\n`);
    try {
      const applied = await runRolecall(dir, env, "apply", "--stack", "bench", "--yes");
      if (applied.code !== 0) throw new Error(`initial apply failed:\n${applied.out.slice(-4000)}`);
      const listed = JSON.parse((await runRolecall(dir, env, "sandbox", "ls", "--json")).out.split("\n\n")[0] ?? "{}") as { users?: unknown[]; groups?: unknown[] };
      console.log(`# ${scale}: ${listed.users?.length ?? "?"} users, ${listed.groups?.length ?? "?"} groups; initial apply ${(applied.ms / 1000).toFixed(1)} s, ${proxy.counts.requests} requests`);
      console.log("| build | no-op plan: requests | by route | wall s |");
      console.log("|---|---:|---|---:|");
      for (const [label, dist] of dists) {
        await useDist(dist);
        const before = { ...proxy.counts.byRoute };
        const total = proxy.counts.requests;
        const plan = await runRolecall(dir, env, "plan", "--stack", "bench");
        if (plan.code !== 0) throw new Error(`plan with ${label} failed:\n${plan.out.slice(-4000)}`);
        const routes = Object.entries(proxy.counts.byRoute)
          .map(([k, v]) => [k, v - (before[k] ?? 0)] as const)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${k}: ${n}`)
          .join(", ");
        console.log(`| ${label} | ${proxy.counts.requests - total} | ${routes} | ${(plan.ms / 1000).toFixed(1)} |`);
      }
    } finally {
      await proxy.close();
      await runRolecall(dir, env, "sandbox", "stop");
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
