// POST /Users rate of the sandbox at 1k, 10k and 100k existing users, with 1,000 groups at 100k.
//
//   node bench/sandbox/.build/bench/sandbox/run.js [--scales 1000,10000,100000] [--sample 2000]
//
// For each scale the store is filled up to it directly (the same create path the server runs,
// batched in one transaction, so filling is not what takes the time), then the sandbox starts in
// its own process and `--sample` more users are POSTed twice over HTTP: one at a time (what a
// sequential client sees) and 16 in flight (throughput), then 200 `userName eq` lookups. At the
// last scale 1,000 groups of 100 members are added first. Prints a markdown table; memory is the
// sandbox process's resident set (VmRSS after the run, VmHWM peak) from /proc.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createResource, patchResource, type Site } from "../../src/sandbox/resources.js";
import { groupKind, userKind } from "../../src/sandbox/scim/schema.js";
import { SandboxStore } from "../../src/sandbox/store.js";

const { values } = parseArgs({ options: { scales: { type: "string", default: "1000,10000,100000" }, sample: { type: "string", default: "2000" }, groups: { type: "string", default: "1000" } } });
const scales = values.scales.split(",").map(Number);
const sample = Number(values.sample);
const groupCount = Number(values.groups);
const IN_FLIGHT = 16;

interface Sandbox {
  url: string;
  token: string;
  pid: number;
  stop(): Promise<void>;
}

async function startSandbox(dir: string): Promise<Sandbox> {
  const child = spawn(process.execPath, [fileURLToPath(new URL("./serve.js", import.meta.url)), dir], { stdio: ["ignore", "pipe", "inherit"] });
  const [line] = await (async () => {
    for await (const text of createInterface({ input: child.stdout! })) return [text];
    throw new Error("the sandbox exited before it listened");
  })();
  const { url, token, pid } = JSON.parse(line!) as { url: string; token: string; pid: number };
  return { url, token, pid, stop: () => new Promise((resolve) => (child.once("exit", () => resolve()), child.kill("SIGTERM"))) };
}

let serial = 0;
async function post(sandbox: Sandbox, path: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${sandbox.token}`, "content-type": "application/scim+json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
  return JSON.parse(text) as { id: string };
}

function user(): Record<string, unknown> {
  serial += 1;
  const n = String(serial).padStart(7, "0");
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    userName: `user.${n}@example.com`,
    externalId: `W${n}`,
    name: { givenName: `Given${n}`, familyName: `Family${n}`, formatted: `Given${n} Family${n}` },
    displayName: `Given${n} Family${n}`,
    emails: [{ value: `user.${n}@example.com`, type: "work", primary: true }],
    active: true,
    title: "Analyst",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { employeeNumber: n, department: `Dept ${serial % 40}` },
  };
}

/** Runs `count` tasks with `inFlight` at a time; returns requests per second. */
async function burst(count: number, inFlight: number, task: (index: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function memory(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) / 1024;
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}

async function timedLookups(sandbox: Sandbox, count: number): Promise<number> {
  const started = performance.now();
  for (let index = 0; index < count; index++) {
    const n = String(1 + Math.floor(Math.random() * serial)).padStart(7, "0");
    const filter = encodeURIComponent(`userName eq "USER.${n}@example.com"`);
    const response = await fetch(`${sandbox.url}/Users?filter=${filter}`, { headers: { authorization: `Bearer ${sandbox.token}` } });
    const body = (await response.json()) as { totalResults: number };
    if (body.totalResults !== 1) throw new Error(`lookup of user.${n} found ${body.totalResults}`);
  }
  return (performance.now() - started) / count;
}

/** Creates users (and groups) through the store in one transaction, as the server would one by one. */
function seed(dir: string, users: number, groups: number): void {
  const store = SandboxStore.open(dir);
  const site: Site = { store, base: "http://127.0.0.1/scim/v2" };
  try {
    store.transaction(() => {
      for (let index = 0; index < users; index++) userIds.push(createResource(site, userKind, user()).id);
      for (let index = 0; index < groups; index++) {
        const group = createResource(site, groupKind, { schemas: [groupKind.core.id], displayName: `Group ${index}`, externalId: `g${index}` });
        const members = Array.from({ length: 100 }, (_, k) => ({ value: userIds[(index * 100 + k * 37) % userIds.length] }));
        patchResource(site, groupKind, group.id, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "add", path: "members", value: members }] }, undefined);
      }
    });
  } finally {
    store.close();
  }
}

const dir = await mkdtemp(join(tmpdir(), "rolecall-bench-sandbox-"));
const rows: string[] = [];
const userIds: string[] = [];
let groupsMade = 0;
try {
  for (const scale of scales) {
    const last = scale === scales[scales.length - 1];
    const seedStarted = performance.now();
    seed(dir, Math.max(0, scale - serial), last ? groupCount : 0);
    groupsMade = last ? groupCount : 0;
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const sandbox = await startSandbox(dir);
    const loadBefore = loadavg()[0]!.toFixed(1);
    try {
      const existing = serial;
      const sequential = await burst(sample, 1, () => post(sandbox, "/Users", user()));
      const parallel = await burst(sample, IN_FLIGHT, () => post(sandbox, "/Users", user()));
      const lookupMs = await timedLookups(sandbox, 200);
      const { rss, peak } = await memory(sandbox.pid);
      const dbBytes = (await stat(join(dir, "sandbox.db"))).size + (await stat(join(dir, "sandbox.db-wal")).then((s) => s.size, () => 0));
      const load = loadavg()[0]!.toFixed(1);
      rows.push(
        `| ${existing.toLocaleString("en")} | ${groupsMade} | ${sequential.toFixed(0)} | ${parallel.toFixed(0)} | ${lookupMs.toFixed(2)} | ${rss.toFixed(0)} / ${peak.toFixed(0)} | ${(dbBytes / 2 ** 20).toFixed(0)} | ${seedSeconds.toFixed(1)} | ${loadBefore} → ${load} |`,
      );
      process.stderr.write(`${rows[rows.length - 1]}\n`);
    } finally {
      await sandbox.stop();
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

process.stdout.write(
  [
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average at the end ${loadavg().map((n) => n.toFixed(1)).join(" ")}; sample ${sample} POSTs per column`,
    "",
    "| existing users | groups (100 members each) | POST/s, 1 in flight | POST/s, 16 in flight | userName eq lookup, ms | sandbox RSS after / peak, MiB | store on disk, MiB | seeding this step in-process, s | 1-min load average, start → end of the HTTP runs |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
  ].join("\n"),
);
