/**
 * better-sqlite3 ships prebuilt binaries on GitHub; where GitHub is out of reach (as on the
 * machines this project is built on) every `npm ci` compiles SQLite from source, minutes on a
 * small machine. After such a build, this puts the binary where prebuild-install looks first
 * on the next install — its cache in the npm cache folder, outside the clone — under the name
 * it would have downloaded. A cache only: any failure here leaves the install as it was.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const moduleDir = fileURLToPath(new URL("../node_modules/better-sqlite3/", import.meta.url));
const binary = path.join(moduleDir, "build", "Release", "better_sqlite3.node");

try {
  const { version } = JSON.parse(readFileSync(path.join(moduleDir, "package.json"), "utf8"));
  // prebuild-install's own naming: the release asset's URL, cached as <sha512(url)[0..6]>-<asset>.
  const libc = process.platform === "linux" && !process.report.getReport().header.glibcVersionRuntime ? "musl" : "";
  const asset = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}${libc}-${process.arch}.tar.gz`;
  const url = `https://github.com/WiseLibs/better-sqlite3/releases/download/v${version}/${asset}`;
  const cacheDir = path.join(process.env.npm_config_cache ?? path.join(os.homedir(), ".npm"), "_prebuilds");
  const cached = path.join(cacheDir, `${createHash("sha512").update(url).digest("hex").slice(0, 6)}-${asset.replace(/[^a-zA-Z0-9.]+/g, "-")}`);
  if (existsSync(binary) && !existsSync(cached)) {
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${cached}.${process.pid}.tmp`;
    execFileSync("tar", ["-czf", partial, "-C", moduleDir, "build/Release/better_sqlite3.node"]);
    renameSync(partial, cached);
  }
} catch {
  // Without the cache the next install compiles again; nothing else depends on it.
}
