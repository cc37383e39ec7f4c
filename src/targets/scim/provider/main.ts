// The rolecall-scim resource plugin. Protocol with the engine: print the gRPC port and a
// newline on stdout once listening, then serve; anything else on stdout would corrupt that
// handshake line, so diagnostics go to stderr (or to the engine's Log service).
import { readFile } from "node:fs/promises";
import { parseProviderArgs } from "./args.js";
import { watchEngine } from "./engine-watch.js";
import { startProviderServer } from "./server.js";

// Same relative path from src/…/provider/main.ts and dist/…/provider/main.js.
const packageJson = new URL("../../../../package.json", import.meta.url);
const { version } = JSON.parse(await readFile(packageJson, "utf8")) as { version: string };

const args = parseProviderArgs(process.argv.slice(2));
const { port, stop } = await startProviderServer({ version, ...args });
process.stdout.write(`${port}\n`);

// The engine sends SIGINT when it is done with us; SIGTERM from anyone else.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void stop().finally(() => process.exit(0)));
}

watchEngine({
  engineAddress: args.engineAddress,
  onGone: (why) => {
    process.stderr.write(`rolecall-scim: ${why}; stopping\n`);
    // In-flight SCIM requests are aborted; nothing is left half-sent by waiting longer.
    void stop().finally(() => process.exit(1));
    setTimeout(() => process.exit(1), 2_000).unref();
  },
});
