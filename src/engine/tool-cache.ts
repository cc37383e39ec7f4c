import { mkdir, rm, stat, writeFile, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/**
 * Where rolecall keeps what it builds or installs once per machine (the Pulumi CLI, the test
 * peers): outside any clone, so a fresh checkout — CI's — reuses it.
 */
export function toolCacheDir(): string {
  if (process.env.ROLECALL_CACHE_DIR) return path.resolve(process.env.ROLECALL_CACHE_DIR);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "rolecall");
}

/**
 * Runs `work` holding a lock directory, so two processes (parallel test workers, a CLI run
 * beside a test run) never build into the same place at once. A lock left by a dead process
 * is taken over.
 */
export async function withLock<T>(dir: string, work: () => Promise<T>, onWait?: () => void): Promise<T> {
  await mkdir(path.dirname(dir), { recursive: true });
  const owner = path.join(dir, "pid");
  let waited = false;
  for (;;) {
    try {
      await mkdir(dir);
      await writeFile(owner, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (await lockIsStale(owner)) {
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      if (!waited) onWait?.();
      waited = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await work();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function lockIsStale(owner: string): Promise<boolean> {
  try {
    const pid = Number(await readFile(owner, "utf8"));
    if (!Number.isInteger(pid) || pid <= 0) return (Date.now() - (await stat(owner)).mtimeMs) > 10_000;
    process.kill(pid, 0);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOENT: the owner has not written its pid yet (or just finished); EPERM: alive, not ours.
    if (code === "ENOENT") return false;
    return code === "ESRCH";
  }
}
