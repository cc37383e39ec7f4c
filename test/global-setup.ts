import type { TestProject } from "vitest/node";
import { ensurePulumiCli } from "../src/engine/pulumi-cli.js";
import { ensureChromium } from "./support/chromium.js";
import { ensureMotoServer } from "./support/moto-server.js";
import { ensureScim2Server } from "./support/scim2-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    scim2ServerBin: string;
    motoServerBin: string;
  }
}

/**
 * Makes the real things the suites need available before any test runs: the Pulumi engine
 * (built from the Go module proxy on a machine without it — minutes, once), the
 * independent SCIM peer (cached outside the clone) and Debian's Chromium for the HTML evidence.
 */
export default async function setup(project: TestProject): Promise<void> {
  const log = (line: string) => process.stderr.write(`[test setup] ${line}\n`);
  await ensurePulumiCli(log);
  await ensureChromium(log);
  project.provide("scim2ServerBin", await ensureScim2Server(log));
  project.provide("motoServerBin", await ensureMotoServer(log));
}
