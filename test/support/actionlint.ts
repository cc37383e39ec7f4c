import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { toolCacheDir, withLock } from "../../src/engine/tool-cache.js";

/** The workflow linter the tests run on .github/workflows, built from the Go module proxy. */
const VERSION = "v1.7.12";

function binDir(): string {
  return path.join(toolCacheDir(), "actionlint", VERSION);
}

/**
 * Installs actionlint into the tool cache (outside the clone), once per machine: `go install`
 * with GOBIN pointing there, so the module and build caches in ~/go are reused too.
 */
export async function ensureActionlint(log: (line: string) => void): Promise<string> {
  const bin = path.join(binDir(), "actionlint");
  const present = () => access(bin).then(() => true, () => false);
  if (await present()) return bin;
  return withLock(path.join(toolCacheDir(), "locks", "actionlint"), async () => {
    if (await present()) return bin;
    log(`building actionlint ${VERSION} into ${binDir()} (go install)…`);
    await promisify(execFile)("go", ["install", `github.com/rhysd/actionlint/cmd/actionlint@${VERSION}`], {
      env: { ...process.env, GOBIN: binDir(), GOFLAGS: "-trimpath" },
      maxBuffer: 16 * 1024 * 1024,
    });
    return bin;
  });
}
