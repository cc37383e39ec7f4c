import { execFile } from "node:child_process";
import net from "node:net";
import path from "node:path";

/** `rolecall <args>` in a bench project, timed, with its output (stdout then stderr). */
export function runRolecall(dir: string, env: Record<string, string>, ...args: string[]): Promise<{ code: number; ms: number; out: string }> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(dir, "bin", "rolecall.js"), ...args], { cwd: dir, env: { ...process.env, ...env, NO_COLOR: "1" }, maxBuffer: 256 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, ms: Date.now() - started, out: `${stdout}\n${stderr}` }),
    );
  });
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
