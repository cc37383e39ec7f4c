import { spawn } from "node:child_process";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { EnvironmentError } from "./errors.js";

/** The wrapper Go module that pins the CLI (go.mod/go.sum beside tools.go). */
const WRAPPER_MODULE = fileURLToPath(new URL("../../src/engine/pulumi-build/", import.meta.url));

/**
 * Builds the Pulumi CLI from the Go module proxy into `binDir`, the way release builds do
 * (trimpath, release tags, the version stamped in — the Automation API refuses an unstamped
 * binary). Go's own module and build caches live outside the clone, so a second build, or
 * one in a fresh clone, is mostly cache hits.
 */
export async function buildPulumiFromGo(version: string, binDir: string, log: (line: string) => void): Promise<void> {
  await mkdir(binDir, { recursive: true });
  const partial = path.join(binDir, `pulumi.partial-${process.pid}`);
  const started = Date.now();
  let packages = 0;
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)}s`;
  const heartbeat = setInterval(() => log(`building Pulumi CLI v${version} from Go modules… ${packages} packages compiled, ${elapsed()}`), 15_000);
  try {
    await run(
      "go",
      [
        "build",
        "-v",
        "-trimpath",
        "-tags",
        "osusergo,grpcnotrace",
        "-ldflags",
        `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${version}`,
        "-o",
        partial,
        "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
      ],
      WRAPPER_MODULE,
      () => packages++,
    );
    await rename(partial, path.join(binDir, "pulumi"));
    log(`built Pulumi CLI v${version} in ${elapsed()}`);
  } finally {
    clearInterval(heartbeat);
    await rm(partial, { force: true });
  }
}

function run(command: string, args: string[], cwd: string, onLine: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    // -mod=readonly: the pinned go.sum is the contract; a build never rewrites it.
    const child = spawn(command, args, { cwd, env: { ...process.env, GOFLAGS: "-mod=readonly", GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? "local" }, stdio: ["ignore", "ignore", "pipe"] });
    const tail: string[] = [];
    let pending = "";
    child.stderr.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        onLine();
        tail.push(line);
        if (tail.length > 30) tail.shift();
      }
    });
    child.on("error", (error) =>
      reject(
        (error as NodeJS.ErrnoException).code === "ENOENT"
          ? new EnvironmentError("the Pulumi CLI is not installed and there is no Go toolchain to build it", "install Pulumi CLI v3.248.0 (https://www.pulumi.com/docs/install/) or Go ≥ 1.25, then run again")
          : error,
      ),
    );
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new EnvironmentError(`go build of the Pulumi CLI failed (exit ${code}):\n${tail.join("\n")}`, "check that the Go module proxy is reachable (GOPROXY) and that Go ≥ 1.25 is installed"));
    });
  });
}
