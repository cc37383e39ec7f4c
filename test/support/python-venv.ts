import { execFile } from "node:child_process";
import { access, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { toolCacheDir, withLock } from "../../src/engine/tool-cache.js";

/**
 * A virtualenv in the tool cache (outside the clone) with pinned PyPI requirements, installed
 * once per machine: later calls, and other test processes waiting on the lock, find it ready.
 * Returns the venv's folder.
 */
export async function ensureVenv(name: string, requirements: readonly string[], log: (line: string) => void): Promise<string> {
  const dir = path.join(toolCacheDir(), "venv", name);
  const marker = path.join(dir, ".installed");
  const present = () => access(marker).then(() => true, () => false);
  if (await present()) return dir;
  return withLock(path.join(toolCacheDir(), "locks", name), async () => {
    if (await present()) return dir;
    log(`installing ${requirements.join(" ")} into ${dir}…`);
    const run = promisify(execFile);
    await run("python3", ["-m", "venv", "--clear", dir]);
    await run(path.join(dir, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", ...requirements]);
    // Written last: a venv whose install was interrupted is rebuilt, not half-used.
    await writeFile(marker, `${requirements.join("\n")}\n`);
    return dir;
  });
}
