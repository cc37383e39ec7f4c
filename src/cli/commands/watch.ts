import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { findProjectDir, progress, UsageError } from "../context.js";

export interface WatchOptions {
  stack: string;
  interval: string;
  path: string;
  settle: string;
}

/** Exit codes of `rolecall offboard` after which the same inputs would give the same answer (README, "Commands"). */
const SETTLED = new Set([0, 1, 3]);

/**
 * `rolecall watch`: runs `rolecall offboard --yes` whenever the HR export changes — once at
 * start (changes may have landed while nobody watched), then each time the watched path's
 * content differs at a poll. A change is acted on only once the path has stopped changing
 * for the settle time, so an export still being written is never read half-done (a truncated
 * roster would look like people dropping out). Each run is its own process, with offboard's
 * exit code; a refused run waits for the next change, an engine or environment failure is
 * retried at the next poll. SIGINT/SIGTERM stop the watch after the run in progress.
 */
export async function watchCommand(opts: WatchOptions): Promise<void> {
  const interval = seconds("--interval", opts.interval, 1, 3600);
  const settle = seconds("--settle", opts.settle, 0, 600);
  const projectDir = await findProjectDir();
  const watched = path.resolve(projectDir, opts.path);
  if (path.relative(projectDir, watched).startsWith("..")) throw new UsageError(`--path ${opts.path} is outside the project ${projectDir}`);
  await stat(watched).catch(() => {
    throw new UsageError(`--path ${opts.path}: no such file or folder in ${projectDir}`);
  });

  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  progress(`watching ${path.relative(process.cwd(), watched) || "."} every ${interval}s for stack ${opts.stack}`);

  let acted: string | undefined;
  while (!stopping) {
    const seen = await fingerprint(watched).catch(() => undefined);
    if (seen !== undefined && seen.digest !== acted && Date.now() - seen.modified >= settle * 1000) {
      const again = await fingerprint(watched).catch(() => undefined);
      if (again?.digest === seen.digest) {
        progress(`${acted === undefined ? "starting" : "the HR export changed"} (sha256 ${seen.digest.slice(0, 12)}…): running offboard`);
        const code = await offboard(opts.stack);
        progress(`offboard exited ${code}${SETTLED.has(code) ? "" : "; retrying at the next poll"}`);
        if (SETTLED.has(code)) acted = seen.digest;
      }
    }
    await sleepUnless(() => stopping, interval * 1000);
  }
  progress("watch stopped");
}

function seconds(flag: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`${flag} ${raw} is not a number of seconds between ${min} and ${max}`);
  return n;
}

/** The content hash of a file, or of every file under a folder (names and bytes), and when any of them last changed. */
async function fingerprint(target: string): Promise<{ digest: string; modified: number }> {
  const hash = createHash("sha256");
  let modified = 0;
  const visit = async (p: string, rel: string): Promise<void> => {
    const s = await stat(p);
    if (s.isDirectory()) {
      for (const name of (await readdir(p)).sort()) await visit(path.join(p, name), path.posix.join(rel, name));
      return;
    }
    modified = Math.max(modified, s.mtimeMs);
    hash.update(`${rel}\0${s.size}\0`).update(await readFile(p));
  };
  await visit(target, ".");
  return { digest: hash.digest("hex"), modified };
}

/** One `rolecall offboard --yes` run, in its own process, with its output passed through. */
function offboard(stack: string): Promise<number> {
  return new Promise((resolve) => {
    // SIGINT to the watch must not cut an update short: the child runs in its own process group.
    const child = spawn(process.execPath, [process.argv[1]!, "offboard", "--stack", stack, "--yes"], { stdio: "inherit", detached: true });
    child.on("error", () => resolve(2));
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 2 : 0)));
  });
}

async function sleepUnless(stopped: () => boolean, ms: number): Promise<void> {
  for (let left = ms; left > 0 && !stopped(); left -= 200) await sleep(Math.min(200, left));
}
