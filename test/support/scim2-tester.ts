import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { toolCacheDir, withLock } from "../../src/engine/tool-cache.js";

/** scim2-tester (PyPI): an independent SCIM 2.0 compliance suite. */
const VERSION = "0.5.2";
const RUNNER = fileURLToPath(new URL("./scim2_tester_run.py", import.meta.url));

export interface CheckResult {
  status: "SUCCESS" | "COMPLIANT" | "ACCEPTABLE" | "DEVIATION" | "ERROR" | "CRITICAL" | "SKIPPED";
  title: string | null;
  resourceType: string | null;
  tags: string[];
  reason: string;
}

function venvDir(): string {
  return path.join(toolCacheDir(), "venv", `scim2-tester-${VERSION}`);
}

/** Installs scim2-tester (with its httpx2 client) into a virtualenv in the tool cache, once. */
export async function ensureScim2Tester(log: (line: string) => void): Promise<string> {
  const python = path.join(venvDir(), "bin", "python");
  const marker = path.join(venvDir(), ".installed");
  const present = () => access(marker).then(() => true, () => false);
  if (await present()) return python;
  return withLock(path.join(toolCacheDir(), "locks", "scim2-tester"), async () => {
    if (await present()) return python;
    log(`installing scim2-tester ${VERSION} into ${venvDir()}…`);
    const run = promisify(execFile);
    await run("python3", ["-m", "venv", "--clear", venvDir()]);
    await run(path.join(venvDir(), "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", `scim2-tester[httpx2]==${VERSION}`]);
    // Written last: a venv whose install was interrupted is rebuilt, not half-used.
    await run(python, ["-c", `open(${JSON.stringify(marker)}, "w").write("${VERSION}\\n")`]);
    return python;
  });
}

/** Every check of scim2-tester's check_server against the SCIM base URL. */
export async function runScim2Tester(python: string, url: string, token: string): Promise<CheckResult[]> {
  const { stdout } = await promisify(execFile)(python, [RUNNER, url.endsWith("/") ? url : `${url}/`, token], {
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
  });
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as CheckResult);
}
