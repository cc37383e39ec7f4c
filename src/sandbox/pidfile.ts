import { link, rm, writeFile } from "node:fs/promises";
import { readTextIfExists } from "./files.js";

/** Exit code of a sandbox process that found another one already serving its directory. */
export const EXIT_ALREADY_RUNNING = 3;

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid recorded in `file` if that process is still alive; a stale file reads as undefined. */
export async function readLivePid(file: string): Promise<number | undefined> {
  const pid = Number((await readTextIfExists(file))?.trim());
  return Number.isSafeInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

/**
 * Records this process in `file` unless a live process already has. The pid is written to a
 * temp file first and then hard-linked into place, which fails if the file exists: readers
 * never see an empty pid file, and of two racing starters exactly one wins.
 */
export async function claimPidFile(file: string): Promise<boolean> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${process.pid}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await link(temp, file);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      if ((await readLivePid(file)) !== undefined) return false;
      await rm(file, { force: true });
    }
    return false;
  } finally {
    await rm(temp, { force: true });
  }
}

/** Removes `file` if it still names this process. */
export async function releasePidFile(file: string): Promise<void> {
  if (Number((await readTextIfExists(file))?.trim()) === process.pid) await rm(file, { force: true });
}
