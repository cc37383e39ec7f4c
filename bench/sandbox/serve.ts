// The sandbox under test, in its own process as `rolecall sandbox start` runs it: prints one JSON
// line {url, token, pid} once it listens, stops on SIGTERM.
import { startSandboxServer } from "../../src/sandbox/server.js";

const dir = process.argv[2];
if (dir === undefined) throw new Error("usage: node serve.js <dir>");
const server = await startSandboxServer({ dir, port: 0 });
process.stdout.write(`${JSON.stringify({ url: server.url, token: server.token, pid: process.pid })}\n`);
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
