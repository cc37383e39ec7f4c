// The apply path measured side by side with a plain SCIM client, in one run per scale:
//
//   node bench/apply/.build/bench/apply/run.js 1000 [10000 …] [--json FILE]
//
// For each scale: a generated organisation (bench/compile/generate.ts), then
//   1. raw client: every user POSTed, then every group POSTed with its members, into a fresh
//      sandbox of its own, as many in flight as the engine runs steps (GOMAXPROCS × 4);
//   2. the initial `rolecall apply --yes`, into another fresh sandbox;
//   3. a no-op `rolecall plan`;
//   4. 1% of the people turned leavers in the roster: `rolecall plan`, then `rolecall apply --yes`;
//   5. another 1% the same way (the steady state, once a leaver run rewrote the groups).
// rolecall runs a stack whose SCIM endpoint is a counting proxy in front of its sandbox, so every
// request the provider sends is counted by method and resource. Peak RSS is read from /proc
// (VmHWM, polled) for every process of each rolecall run — rolecall itself, the Pulumi engine,
// the SCIM provider — and for the sandbox. Prints a markdown table and the raw figures.
import { spawn, type ChildProcess } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { compile } from "../../src/compile/compile.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import { groupToScim, userToScim } from "../../src/targets/scim/provider/mapping.js";
import { existingMeta, generate, inputsDir, repoRoot } from "../compile/generate.js";
import { freePort } from "../support/cli.js";

const REPO = await repoRoot();
const IN_FLIGHT = os.availableParallelism() * 4;
const PASSPHRASE = "bench-apply";

interface Counts {
  [methodAndKind: string]: number;
}

/** A proxy in front of a SCIM service provider that counts what passes: "GET Users", "PATCH Groups/:id", … */
class CountingProxy {
  counts: Counts = {};
  private server?: http.Server;
  constructor(private readonly target: URL) {}

  async listen(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      const rest = url.pathname.replace(/^\/scim\/v2\/?/, "");
      const [kind = "", id] = rest.split("/");
      const key = `${req.method} ${kind}${id ? "/:id" : url.search ? "?query" : ""}`;
      this.counts[key] = (this.counts[key] ?? 0) + 1;
      const upstream = http.request({ host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}/scim/v2`;
  }

  take(): Counts {
    const counts = this.counts;
    this.counts = {};
    return counts;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }
}

/** Peak RSS (MB) of every process in a tree, by role, polled from /proc while it runs. */
class RssWatch {
  peaks: Record<string, number> = {};
  private timer?: NodeJS.Timeout;
  constructor(private readonly root: number) {}

  start(): void {
    const poll = async () => {
      for (const pid of await this.tree()) {
        const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
        const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
        if (!hwm) continue;
        const role = await roleOf(pid, this.root);
        this.peaks[role] = Math.max(this.peaks[role] ?? 0, Math.round(Number(hwm[1]) / 1024));
      }
    };
    this.timer = setInterval(() => void poll(), 200);
  }

  stop(): Record<string, number> {
    clearInterval(this.timer);
    return this.peaks;
  }

  private async tree(): Promise<number[]> {
    const parents = new Map<number, number>();
    for (const entry of await readdir("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid) parents.set(Number(entry), ppid);
    }
    const inTree = (pid: number): boolean => pid === this.root || (parents.has(pid) && pid !== 1 && inTree(parents.get(pid)!));
    return [...parents.keys()].filter(inTree);
  }
}

async function roleOf(pid: number, root: number): Promise<string> {
  if (pid === root) return "rolecall";
  const cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).split("\0");
  if (cmdline.some((a) => a.includes("scim/provider/main.js"))) return "provider";
  if (path.basename(cmdline[0] ?? "") === "pulumi") return "engine";
  return `other (${path.basename(cmdline[0] ?? "?")})`;
}

interface Timed {
  seconds: number;
  code: number;
  rss: Record<string, number>;
  requests: Counts;
  out: string;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf("--json");
  const jsonOut = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : undefined;
  const scales = (args.length ? args : ["1000"]).map(Number);
  const results: Record<string, unknown>[] = [];
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${Math.round(os.totalmem() / 2 ** 20)} MB, Node ${process.version}; load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  for (const scale of scales) results.push(await measure(scale));
  console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(table(results));
  if (jsonOut) await writeFile(jsonOut, JSON.stringify(results, null, 2) + "\n");
}

async function measure(scale: number): Promise<Record<string, unknown>> {
  const inputs = await inputsDir(scale);
  if (!(await existingMeta(inputs))) await generate(scale, inputs);
  const dir = await mkdtemp(path.join(os.tmpdir(), "rolecall-bench-apply-"));
  const sandboxPort = await freePort();
  const env: Record<string, string> = { ROLECALL_SANDBOX_PORT: String(sandboxPort), PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE, NO_COLOR: "1" };
  let proxy: CountingProxy | undefined;
  try {
    for (const entry of ["Pulumi.yaml", "bin", "package.json"]) await cp(path.join(REPO, entry), path.join(dir, entry), { recursive: true });
    for (const entry of ["node_modules", "dist"]) await symlink(path.join(REPO, entry), path.join(dir, entry));
    await cp(inputs, path.join(dir, "desired-state"), { recursive: true });
    await mkdir(path.join(dir, "state"));
    const load = os.loadavg()[0]!.toFixed(2);
    console.log(`# ${scale}: load average ${load}`);

    const raw = await rawClient(dir, scale);
    console.log(`raw client: ${raw.seconds.toFixed(1)} s, ${raw.requests} POSTs`);

    // rolecall's sandbox, behind the counting proxy; the stack names the proxy as its SCIM endpoint.
    const started = await rolecall(dir, env, undefined, "sandbox", "start");
    if (started.code !== 0) throw new Error(`sandbox start failed:\n${started.out}`);
    const token = (await readFile(path.join(dir, ".rolecall", "sandbox", "token"), "utf8")).trim();
    proxy = new CountingProxy(new URL(`http://127.0.0.1:${sandboxPort}`));
    const endpoint = await proxy.listen();
    await mkdir(path.join(dir, "stacks"));
    await writeFile(path.join(dir, "stacks", "Pulumi.bench.yaml"), `config:\n  rolecall:desiredState: desired-state\n  rolecall:targets:\n    scim:\n      endpoint: ${endpoint}\n`);
    env.ROLECALL_SCIM_TOKEN = token;

    const initial = await rolecall(dir, env, proxy, "apply", "--stack", "bench", "--yes");
    if (initial.code !== 0) throw new Error(`initial apply failed (exit ${initial.code}):\n${initial.out.slice(-4000)}`);
    const stateBytes = await checkpointBytes(dir);
    const accounts = (await loadPlanCount(dir)) ?? scale;
    const noop = await rolecall(dir, env, proxy, "plan", "--stack", "bench");
    if (noop.code !== 0) throw new Error(`no-op plan failed (exit ${noop.code}):\n${noop.out.slice(-4000)}`);

    const leavers = await makeLeavers(dir, Math.max(1, Math.round(scale / 100)));
    const leaverPlan = await rolecall(dir, env, proxy, "plan", "--stack", "bench");
    const leaverApply = await rolecall(dir, env, proxy, "apply", "--stack", "bench", "--yes", "--allow-mass-deprovision", "bench/apply: 1% leavers");
    if (leaverApply.code !== 0) throw new Error(`leaver apply failed (exit ${leaverApply.code}):\n${leaverApply.out.slice(-4000)}`);
    const changes = /(\d+) steps done/.exec(leaverApply.out)?.[1];
    // Another 1%, once the first leaver run rewrote the groups it changed: the steady state of
    // scheduled runs, where a group's state no longer records a dependency on every member.
    const again = await makeLeavers(dir, Math.max(1, Math.round(scale / 100)));
    const againPlan = await rolecall(dir, env, proxy, "plan", "--stack", "bench");
    const againApply = await rolecall(dir, env, proxy, "apply", "--stack", "bench", "--yes", "--allow-mass-deprovision", "bench/apply: 1% leavers again");
    if (againApply.code !== 0) throw new Error(`second leaver apply failed (exit ${againApply.code}):\n${againApply.out.slice(-4000)}`);
    const sandboxPid = Number((await readFile(path.join(dir, ".rolecall", "sandbox", "sandbox.pid"), "utf8")).trim());
    const sandboxPeak = await peakOf(sandboxPid);

    return {
      scale,
      loadAverage: load,
      accounts,
      raw: { seconds: raw.seconds, posts: raw.requests, sandboxPeakMb: raw.sandboxPeakMb },
      initial: summary(initial),
      noopPlan: summary(noop),
      leavers: { people: leavers, plan: summary(leaverPlan), apply: summary(leaverApply), steps: changes ? Number(changes) : undefined },
      leaversAgain: { people: again, plan: summary(againPlan), apply: summary(againApply) },
      stateBytesPerPerson: Math.round(stateBytes / accounts),
      sandboxPeakMb: sandboxPeak,
      ratioInitial: initial.seconds / raw.seconds,
    };
  } finally {
    const pid = Number((await readFile(path.join(dir, ".rolecall", "sandbox", "sandbox.pid"), "utf8").catch(() => "")).trim());
    await rolecall(dir, env, undefined, "sandbox", "stop").catch(() => undefined);
    // On a loaded machine the stop can give up before the sandbox exits: it is ours to end.
    const cmdline = pid > 0 ? await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "") : "";
    if (cmdline.includes(dir)) process.kill(pid, "SIGKILL");
    await proxy?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function summary(t: Timed): Record<string, unknown> {
  return { seconds: Number(t.seconds.toFixed(1)), code: t.code, rss: t.rss, requests: t.requests };
}

/** Runs rolecall in the project, timing it, watching its processes' memory, and taking the proxy's counts. */
async function rolecall(dir: string, env: Record<string, string>, proxy: CountingProxy | undefined, ...args: string[]): Promise<Timed> {
  proxy?.take();
  const startedAt = performance.now();
  const child: ChildProcess = spawn(process.execPath, [path.join(dir, "bin", "rolecall.js"), ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const watch = new RssWatch(child.pid!);
  watch.start();
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number>((resolve) => child.once("exit", (c) => resolve(c ?? 1)));
  const seconds = (performance.now() - startedAt) / 1000;
  const rss = watch.stop();
  console.log(`rolecall ${args.join(" ")}: exit ${code}, ${seconds.toFixed(1)} s, peak RSS ${JSON.stringify(rss)} MB`);
  return { seconds, code, rss, requests: proxy?.take() ?? {}, out };
}

async function peakOf(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
  return hwm ? Math.round(Number(hwm[1]) / 1024) : undefined;
}

/** The bench stack's checkpoint on disk, in bytes. */
async function checkpointBytes(dir: string): Promise<number> {
  const file = path.join(dir, "state", ".pulumi", "stacks", "rolecall", "bench.json");
  return (await stat(file)).size;
}

/** How many accounts the sandbox holds after the initial apply (for per-person figures). */
async function loadPlanCount(dir: string): Promise<number | undefined> {
  const evidence = path.join(dir, "evidence", "bench");
  const runs = (await readdir(evidence).catch(() => [] as string[])).sort();
  if (runs.length === 0) return undefined;
  const plan = JSON.parse(await readFile(path.join(evidence, runs[0]!, "plan.json"), "utf8")) as { summary: { steps: Record<string, number> }; steps: { type: string; op: string }[] };
  return plan.steps.filter((s) => s.op === "create" && s.type === "rolecall-scim:index:User").length;
}

/** Turns `count` active people into leavers (terminated yesterday) in the project's roster; returns how many. */
async function makeLeavers(dir: string, count: number): Promise<number> {
  const file = path.join(dir, "desired-state", "hr", "roster.csv");
  const text = await readFile(file, "utf8");
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const rows = parse(text, { bom: true }) as string[][];
  const header = rows[0]!;
  const status = header.findIndex((c) => /status/i.test(c));
  const end = header.findIndex((c) => /termination|end/i.test(c));
  const manager = header.findIndex((c) => /manager/i.test(c));
  const id = header.findIndex((c) => /id$/i.test(c) && !/manager/i.test(c));
  const start = header.findIndex((c) => /hire|start/i.test(c));
  const managers = new Set(rows.slice(1).map((r) => r[manager]));
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const today = new Date().toISOString().slice(0, 10);
  // People at work (started, no end date) at the leaves of the org tree: a manager leaving would
  // also change who reports to whom, and a pre-hire has no access to lose.
  const picked = rows.slice(1).filter((r) => /active/i.test(r[status]!) && !r[end] && r[start]! <= today && !managers.has(r[id]!)).slice(-count);
  for (const r of picked) {
    r[status] = "Terminated";
    r[end] = yesterday;
  }
  await writeFile(file, stringify(rows, { record_delimiter: eol === "\r\n" ? "windows" : "unix" }));
  return picked.length;
}

/** The same creates rolecall makes, from the same compiled desired state, by a plain client into a fresh sandbox. */
async function rawClient(dir: string, scale: number): Promise<{ seconds: number; requests: number; sandboxPeakMb?: number }> {
  const desired = compile(await loadDesiredState(path.join(dir, "desired-state")), new Date().toISOString().slice(0, 10));
  const scim = desired.targets.scim!;
  const home = path.join(dir, "raw-sandbox");
  const port = await freePort();
  const sandbox = spawn(process.execPath, [path.join(REPO, "dist", "sandbox", "main.js"), "--dir", home, "--port", String(port)], { stdio: ["ignore", "ignore", "inherit"] });
  try {
    const base = `http://127.0.0.1:${port}/scim/v2`;
    let token = "";
    for (let i = 0; i < 100 && !token; i++) {
      await new Promise((r) => setTimeout(r, 100));
      token = (await readFile(path.join(home, "token"), "utf8").catch(() => "")).trim();
    }
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`${base}/ServiceProviderConfig`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    let requests = 0;
    // Keep-alive like the provider; a request on a reused socket the server had just closed is
    // sent again (Node's documented pattern for ECONNRESET on req.reusedSocket).
    const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    const send = (what: string, body: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = http.request(`${base}/${what}`, { method: "POST", agent, headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json", "content-length": Buffer.byteLength(body) } }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (d: string) => (text += d));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on("error", (error: NodeJS.ErrnoException) => reject(Object.assign(error, { retry: error.code === "ECONNRESET" && req.reusedSocket })));
        req.end(body);
      });
    const post = async (what: string, payload: unknown): Promise<string> => {
      requests++;
      const body = JSON.stringify(payload);
      const res = await send(what, body).catch((error: { retry?: boolean }) => {
        if (error.retry) return send(what, body);
        throw error;
      });
      if (res.status < 200 || res.status >= 300) throw new Error(`POST ${what}: ${res.status} ${res.text.slice(0, 300)}`);
      return (JSON.parse(res.text) as { id: string }).id;
    };
    const ids = new Map<string, string>();
    const started = performance.now();
    await pool(scim.users, async (u) => {
      const props = { userName: u.userName, externalId: u.externalId, givenName: u.givenName, familyName: u.familyName, displayName: u.displayName, email: u.email, active: u.active, ...(u.title ? { title: u.title } : {}) };
      ids.set(u.key, await post("Users", userToScim(props)));
    });
    await pool(scim.groups, async (g) => {
      await post("Groups", groupToScim({ displayName: g.displayName, externalId: g.key, members: g.members.map((m) => ids.get(m.user)!).sort() }));
    });
    const seconds = (performance.now() - started) / 1000;
    agent.destroy();
    console.log(`raw client at ${scale}: ${scim.users.length} users, ${scim.groups.length} groups`);
    return { seconds, requests, sandboxPeakMb: await peakOf(sandbox.pid!) };
  } finally {
    sandbox.kill("SIGTERM");
    await new Promise((r) => sandbox.once("exit", r));
  }
}

async function pool<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

function table(results: Record<string, unknown>[]): string {
  const lines = [
    "| people | raw client | initial apply | ratio | no-op plan | 1% leavers: plan + apply | 1% leavers again | leaver requests (apply) | state bytes / person | peak RSS MB: rolecall / engine / provider (initial apply) | sandbox peak MB |",
    "|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---:|",
  ];
  for (const r of results as Array<Record<string, any>>) {
    const rss = r.initial.rss as Record<string, number>;
    const requests = Object.entries(r.leavers.apply.requests as Counts).map(([k, v]) => `${v} ${k}`).join(", ");
    lines.push(
      `| ${r.scale} | ${r.raw.seconds.toFixed(1)} s | ${r.initial.seconds} s | ${r.ratioInitial.toFixed(2)} | ${r.noopPlan.seconds} s | ${r.leavers.plan.seconds} + ${r.leavers.apply.seconds} s (${r.leavers.people} leavers) | ${r.leaversAgain.plan.seconds} + ${r.leaversAgain.apply.seconds} s | ${requests} | ${r.stateBytesPerPerson} | ${rss.rolecall ?? "?"} / ${rss.engine ?? "?"} / ${rss.provider ?? "?"} | ${r.sandboxPeakMb ?? "?"} |`,
    );
  }
  return lines.join("\n");
}

await main();
