import { access, constants } from "node:fs/promises";
import path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { SemVer } from "semver";
import { buildPulumiFromGo } from "./go-build.js";
import { PULUMI_VERSION } from "./pulumi-version.js";
import { toolCacheDir, withLock } from "./tool-cache.js";

export type CliSource = "PULUMI_HOME" | "PATH" | "cache" | "release" | "go-build";

export interface PulumiCli {
  command: PulumiCommand;
  /** The folder holding bin/pulumi. */
  root: string;
  source: CliSource;
}

/**
 * Finds the Pulumi CLI of the pinned version, or makes it available: PULUMI_HOME, then PATH,
 * then rolecall's tool cache, then the official release download, then a build from the
 * pinned Go modules (what happens on machines without internet). Idempotent and safe to call
 * from parallel processes.
 */
export async function ensurePulumiCli(log: (line: string) => void = () => {}): Promise<PulumiCli> {
  const found = await findInstalled();
  if (found) return found;
  const root = cachedRoot();
  return withLock(
    path.join(toolCacheDir(), "locks", `pulumi-${PULUMI_VERSION}`),
    async () => {
      const again = await atRoot(root, "cache");
      if (again) return again;
      try {
        log(`trying the official release download of Pulumi CLI v${PULUMI_VERSION}…`);
        const command = await PulumiCommand.install({ root, version: new SemVer(PULUMI_VERSION) });
        return { command, root, source: "release" };
      } catch (error) {
        log(`no release download (${firstLine(error)}); building from the Go module proxy instead — about 5 minutes, once per machine`);
      }
      await buildPulumiFromGo(PULUMI_VERSION, path.join(root, "bin"), log);
      const built = await atRoot(root, "go-build");
      if (!built) throw new Error(`the Pulumi CLI built into ${root} does not report v${PULUMI_VERSION}`);
      return built;
    },
    () => log("waiting for another rolecall process that is installing the Pulumi CLI…"),
  );
}

/** The tool-cache folder for the pinned CLI version. */
export function cachedRoot(): string {
  return path.join(toolCacheDir(), "pulumi", `v${PULUMI_VERSION}`);
}

async function findInstalled(): Promise<PulumiCli | undefined> {
  if (process.env.PULUMI_HOME) {
    const cli = await atRoot(process.env.PULUMI_HOME, "PULUMI_HOME");
    if (cli) return cli;
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const cli = await atRoot(path.dirname(dir), "PATH", dir);
    if (cli) return cli;
  }
  return atRoot(cachedRoot(), "cache");
}

/** A CLI at `<root>/bin/pulumi` (or `binDir/pulumi`) that reports exactly the pinned version. */
async function atRoot(root: string, source: CliSource, binDir = path.join(root, "bin")): Promise<PulumiCli | undefined> {
  try {
    await access(path.join(binDir, "pulumi"), constants.X_OK);
    // get() runs `pulumi version` once; the exact pin is checked here rather than its minimum.
    const command = await PulumiCommand.get({ root: path.dirname(binDir), skipVersionCheck: true });
    return command.version?.format() === PULUMI_VERSION ? { command, root: path.dirname(binDir), source } : undefined;
  } catch {
    return undefined;
  }
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split("\n")[0] ?? "";
}
