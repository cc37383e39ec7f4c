import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { readTextIfExists } from "./files.js";
import { summarise, type SandboxListing } from "./listing.js";
import { sandboxPaths } from "./paths.js";
import { EXIT_ALREADY_RUNNING, isAlive, readLivePid } from "./pidfile.js";
import { DEFAULT_SANDBOX_PORT } from "./server.js";
import { migrateLegacyData } from "./migrate.js";
import { SandboxStore } from "./store.js";
import { readToken } from "./token.js";

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const POLL_MS = 100;

export interface SandboxStatus {
  running: boolean;
  pid?: number;
  /** Absent while a starting sandbox has not begun listening yet. */
  url?: string;
}

export interface SandboxEndpoint {
  url: string;
  pid: number;
}

export async function sandboxStatus(dir: string): Promise<SandboxStatus> {
  const paths = sandboxPaths(dir);
  const pid = await readLivePid(paths.pid);
  if (pid === undefined) return { running: false };
  const endpoint = await readEndpoint(paths.endpoint);
  return endpoint?.pid === pid ? { running: true, pid, url: endpoint.url } : { running: true, pid };
}

/**
 * Starts the sandbox as a detached process serving `dir` (or finds the one already serving it)
 * and returns once it answers authenticated SCIM requests. Prints nothing; the process's own
 * output and request log go to <dir>/sandbox.log.
 */
export async function startSandboxDaemon(dir: string, opts: { port?: number } = {}): Promise<SandboxEndpoint> {
  const home = resolve(dir);
  const deadline = Date.now() + START_TIMEOUT_MS;
  if ((await sandboxStatus(home)).running) return waitUntilServing(home, deadline);

  // Beside this module once compiled: dist/sandbox/daemon.js runs dist/sandbox/main.js.
  const entry = fileURLToPath(new URL("./main.js", import.meta.url));
  if (!existsSync(entry)) throw new Error(`the sandbox entry ${entry} does not exist; build rolecall with \`npm run build\``);
  await mkdir(home, { recursive: true, mode: 0o700 });
  const paths = sandboxPaths(home);
  const stderr = openSync(paths.log, "a", 0o600);
  let exited: string | undefined;
  const child = spawn(process.execPath, [entry, "--dir", home, "--port", String(opts.port ?? DEFAULT_SANDBOX_PORT)], {
    detached: true,
    stdio: ["ignore", "ignore", stderr],
  });
  closeSync(stderr);
  child.once("error", (error) => (exited = error.message));
  child.once("exit", (code, signal) => (exited = code === EXIT_ALREADY_RUNNING ? undefined : `exit ${code ?? signal}`));
  child.unref();
  try {
    // A sandbox that lost the race to another starter exits with EXIT_ALREADY_RUNNING; then the
    // winner is the one to wait for.
    return await waitUntilServing(home, deadline, () => exited);
  } catch (error) {
    if (child.pid !== undefined && isAlive(child.pid)) child.kill("SIGTERM");
    throw error;
  }
}

/** Stops the sandbox serving `dir`, if any, and clears its pid and endpoint files. */
export async function stopSandboxDaemon(dir: string): Promise<{ wasRunning: boolean }> {
  const paths = sandboxPaths(dir);
  const pid = await readLivePid(paths.pid);
  if (pid !== undefined) {
    process.kill(pid, "SIGTERM");
    if (!(await exitedWithin(pid, STOP_TIMEOUT_MS))) {
      process.kill(pid, "SIGKILL");
      await exitedWithin(pid, STOP_TIMEOUT_MS);
    }
  }
  await rm(paths.endpoint, { force: true });
  await rm(paths.pid, { force: true });
  return { wasRunning: pid !== undefined };
}

/**
 * Deletes every user and group, keeping the token. A running sandbox is emptied through its
 * store (SQLite lets this process write it meanwhile; the sandbox reads every request from it,
 * so it keeps its url and pid); a stopped one's files are removed, even if they are unreadable.
 */
export async function resetSandbox(dir: string): Promise<void> {
  const { db, legacyData } = sandboxPaths(dir);
  if ((await sandboxStatus(dir)).running) return withStore(dir, (store) => store.reset());
  await Promise.all([db, `${db}-wal`, `${db}-shm`, legacyData, `${legacyData}.migrated`].map((file) => rm(file, { force: true })));
}

/** The sandbox's users and groups, read from its store whether or not it is running. */
export async function listSandbox(dir: string): Promise<SandboxListing> {
  if (!existsSync(sandboxPaths(dir).db) && !existsSync(sandboxPaths(dir).legacyData)) return { users: [], groups: [] };
  return withStore(dir, (store) => summarise(store));
}

async function withStore<T>(dir: string, work: (store: SandboxStore) => T): Promise<T> {
  const store = SandboxStore.open(dir);
  try {
    await migrateLegacyData(store, dir);
    return work(store);
  } finally {
    store.close();
  }
}

async function waitUntilServing(dir: string, deadline: number, failure?: () => string | undefined): Promise<SandboxEndpoint> {
  const paths = sandboxPaths(dir);
  for (;;) {
    const { pid, url } = await sandboxStatus(dir);
    const token = url === undefined ? undefined : await readToken(dir);
    if (pid !== undefined && url !== undefined && token !== undefined && (await answers(url, token))) return { url, pid };
    const reason = failure?.();
    if (reason !== undefined) {
      // The daemon's last log line says why (a busy port, most often): show it, not just where it is.
      const last = (await readTextIfExists(paths.log))?.trimEnd().split("\n").pop() ?? "";
      const busy = last.includes("EADDRINUSE") ? "; another sandbox or service holds the port — stop it or set ROLECALL_SANDBOX_PORT" : "";
      throw new Error(`the sandbox stopped before it answered (${reason}): ${last.replace(/^\S+ /, "")}${busy}`);
    }
    if (Date.now() >= deadline) throw new Error(`the sandbox did not answer within ${START_TIMEOUT_MS / 1000} s; see ${paths.log}`);
    await sleep(POLL_MS);
  }
}

async function answers(url: string, token: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/ServiceProviderConfig`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(1_000),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

async function exitedWithin(pid: number, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(POLL_MS)) {
    if (!isAlive(pid)) return true;
  }
  return !isAlive(pid);
}

async function readEndpoint(file: string): Promise<SandboxEndpoint | undefined> {
  const text = await readTextIfExists(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as SandboxEndpoint;
  } catch {
    return undefined;
  }
}
