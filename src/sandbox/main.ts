import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeFileAtomic } from "./files.js";
import { sandboxPaths } from "./paths.js";
import { claimPidFile, EXIT_ALREADY_RUNNING, releasePidFile } from "./pidfile.js";
import { startSandboxServer } from "./server.js";

// The background sandbox process that daemon.ts starts: `node main.js --dir <dir> --port <n>`.
// It owns <dir>/sandbox.pid and <dir>/endpoint.json while it runs, and logs to <dir>/sandbox.log.

const { values } = parseArgs({ options: { dir: { type: "string" }, port: { type: "string" } } });
const port = values.port === undefined ? undefined : Number(values.port);
if (values.dir === undefined || (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535))) {
  process.stderr.write("usage: node main.js --dir <dir> [--port <0-65535>]\n");
  process.exit(2);
}

const dir = resolve(values.dir);
const paths = sandboxPaths(dir);
await mkdir(dir, { recursive: true, mode: 0o700 });
const log = createWriteStream(paths.log, { flags: "a", mode: 0o600 });
const note = (line: string) => log.write(`${new Date().toISOString()} ${line}\n`);
const exit = (code: number) => log.end(() => process.exit(code));

if (!(await claimPidFile(paths.pid))) {
  note("another sandbox process already serves this directory");
  exit(EXIT_ALREADY_RUNNING);
} else {
  try {
    const server = await startSandboxServer({
      dir,
      port,
      onRequest: ({ method, path, status, ms }) => note(`${method} ${path} ${status} ${ms}ms`),
    });
    const stop = async (signal: string) => {
      note(`stopping (${signal})`);
      await server.close();
      await rm(paths.endpoint, { force: true });
      await releasePidFile(paths.pid);
      exit(0);
    };
    process.once("SIGTERM", () => void stop("SIGTERM"));
    process.once("SIGINT", () => void stop("SIGINT"));
    await writeFileAtomic(paths.endpoint, `${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
    note(`listening on ${server.url}`);
  } catch (error) {
    note(`failed to start: ${(error as Error).message}`);
    await releasePidFile(paths.pid);
    exit(1);
  }
}
