import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ensureVenv } from "./python-venv.js";

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

/** Installs scim2-tester (with its httpx2 client) into a virtualenv in the tool cache, once. */
export async function ensureScim2Tester(log: (line: string) => void): Promise<string> {
  return path.join(await ensureVenv(`scim2-tester-${VERSION}`, [`scim2-tester[httpx2]==${VERSION}`], log), "bin", "python");
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
