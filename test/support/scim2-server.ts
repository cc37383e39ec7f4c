import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { ensureVenv } from "./python-venv.js";

/**
 * An independent SCIM 2.0 server (PyPI scim2-server) our provider is tested against, with the
 * extra that lets it page by cursor (RFC 9865).
 */
const VERSION = "0.8.3";
const REQUIREMENT = `scim2-server[cursor]==${VERSION}`;

/** Installs scim2-server into a virtualenv in the tool cache (outside the clone), once. */
export async function ensureScim2Server(log: (line: string) => void): Promise<string> {
  return path.join(await ensureVenv(`scim2-server-${VERSION}-cursor`, [REQUIREMENT], log), "bin", "scim2-server");
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export interface RunningPeer {
  url: string;
  token: string;
  stop(): Promise<void>;
}

/**
 * Starts scim2-server on a free loopback port with a bearer token; waits until it answers.
 * `serviceProviderConfig` is a JSON file of the capabilities it is to announce (and enforce).
 */
export async function startScim2Server(bin: string, { serviceProviderConfig }: { serviceProviderConfig?: string } = {}): Promise<RunningPeer> {
  const port = await freePort();
  const token = `peer-${port}-${Math.random().toString(36).slice(2)}`;
  const args = ["--hostname", "127.0.0.1", "--port", String(port), "--bearer-token", token];
  if (serviceProviderConfig !== undefined) args.push("--service-provider-config", serviceProviderConfig);
  const child: ChildProcess = spawn(bin, args, { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}/v2`;
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`${url}/ServiceProviderConfig`, { headers: { authorization: `Bearer ${token}` } });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    token,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
