import { execFile } from "node:child_process";
import { access, constants } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { toolCacheDir, withLock } from "../../src/engine/tool-cache.js";

const run = promisify(execFile);

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM = "/usr/bin/chromium";

/** apt waits for another apt/dpkg run (another suite, unattended upgrades) instead of failing at once. */
const APT_OPTIONS = ["-o", "DPkg::Lock::Timeout=600", "-o", "Acquire::Retries=3"];

async function executable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/**
 * Headless Chromium for the tests that open rolecall's HTML evidence as an auditor would.
 * Uses ROLECALL_CHROMIUM when set, else /usr/bin/chromium; when that is missing, installs
 * Debian's `chromium` package (no recommends), running `apt-get update` first when apt does
 * not know the package yet. Idempotent, and serialised across processes by a lock in the
 * tool cache. Needs root (CI and the dev machines run as root); otherwise it says what to run.
 */
export async function ensureChromium(log: (line: string) => void): Promise<string> {
  const override = process.env.ROLECALL_CHROMIUM;
  if (override) {
    if (await executable(override)) return override;
    throw new Error(`ROLECALL_CHROMIUM=${override} is not an executable file; unset it to use Debian's chromium package`);
  }
  if (await executable(CHROMIUM)) return CHROMIUM;
  return withLock(
    path.join(toolCacheDir(), "locks", "chromium"),
    async () => {
      if (await executable(CHROMIUM)) return CHROMIUM;
      const howTo = "install it with `apt-get update && apt-get install -y --no-install-recommends chromium` (as root), or set ROLECALL_CHROMIUM to a Chromium binary";
      if (typeof process.getuid === "function" && process.getuid() !== 0) {
        throw new Error(`headless Chromium is needed for the HTML evidence test and ${CHROMIUM} is missing: ${howTo}`);
      }
      const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
      const started = Date.now();
      try {
        if (!(await aptKnows("chromium"))) {
          log("apt-get update (for Debian's chromium package)…");
          await run("apt-get", [...APT_OPTIONS, "update"], { env, maxBuffer: 64 * 1024 * 1024 });
        }
        log("installing Debian's chromium package (apt-get install --no-install-recommends chromium)…");
        await run("apt-get", [...APT_OPTIONS, "install", "-y", "--no-install-recommends", "chromium"], { env, maxBuffer: 64 * 1024 * 1024 });
      } catch (error) {
        const e = error as { stderr?: string; message: string };
        const detail = (e.stderr ?? "").trim().split("\n").slice(-5).join("\n") || e.message;
        throw new Error(`could not install Debian's chromium package:\n${detail}\nTo fix: ${howTo}`);
      }
      if (!(await executable(CHROMIUM))) throw new Error(`apt-get installed chromium but ${CHROMIUM} is missing; ${howTo}`);
      log(`chromium installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return CHROMIUM;
    },
    () => log("waiting for another process installing chromium…"),
  );
}

/** Whether apt's package lists have an installable `name` (false before the first `apt-get update`). */
async function aptKnows(name: string): Promise<boolean> {
  try {
    const { stdout } = await run("apt-cache", ["policy", name]);
    const candidate = /Candidate:\s*(\S+)/.exec(stdout)?.[1];
    return candidate !== undefined && candidate !== "(none)";
  } catch {
    return false;
  }
}

/** Runs headless Chromium on a page with the flags that keep it offline and quiet; returns stdout. */
export async function chromiumHeadless(bin: string, userDataDir: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const flags = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
    `--user-data-dir=${userDataDir}`,
  ];
  const { stdout } = await run(bin, [...flags, ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
