import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { ensureVenv } from "./python-venv.js";
import { freePort } from "./scim2-server.js";

/**
 * moto (PyPI) in server mode: an AWS emulator whose Identity Store and SSO Admin APIs the AWS
 * target's live read is run against, since IAM Identity Center itself cannot run here.
 */
const VERSION = "5.2.5";
const REQUIREMENT = `moto[server]==${VERSION}`;

/** Installs moto's server into a virtualenv in the tool cache (outside the clone), once. */
export async function ensureMotoServer(log: (line: string) => void): Promise<string> {
  return path.join(await ensureVenv(`moto-${VERSION}`, [REQUIREMENT], log), "bin", "moto_server");
}

export interface RunningMoto {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts moto_server on a free loopback port with fresh state; waits until it answers. */
export async function startMotoServer(bin: string): Promise<RunningMoto> {
  const port = await freePort();
  const child: ChildProcess = spawn(bin, ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${endpoint}/moto-api/`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i >= 300 || child.exitCode !== null) {
      child.kill("SIGTERM");
      throw new Error(`moto_server did not answer on ${endpoint}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
