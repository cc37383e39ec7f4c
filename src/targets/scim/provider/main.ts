// The rolecall-scim resource plugin. Protocol with the engine: print the gRPC port and a
// newline on stdout once listening, then serve; anything else on stdout would corrupt that
// handshake line, so diagnostics go to stderr (or to the engine's Log service).
import { readFile } from "node:fs/promises";
import { parseProviderArgs } from "./args.js";
import { startProviderServer } from "./server.js";

// Same relative path from src/…/provider/main.ts and dist/…/provider/main.js.
const packageJson = new URL("../../../../package.json", import.meta.url);
const { version } = JSON.parse(await readFile(packageJson, "utf8")) as { version: string };

const { port, stop } = await startProviderServer({ version, ...parseProviderArgs(process.argv.slice(2)) });
process.stdout.write(`${port}\n`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void stop().finally(() => process.exit(0)));
}
