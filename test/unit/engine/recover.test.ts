import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileBackend, type FileBackend } from "../../../src/engine/file-backend.js";
import { releaseStaleLocks, repairCheckpoint } from "../../../src/engine/recover.js";

describe("recovering a file backend after a crash", () => {
  let backend: FileBackend;
  const lockDir = () => path.join(backend.root, ".pulumi", "locks", "organization", "rolecall", "local");
  const stackFile = () => path.join(backend.root, ".pulumi", "stacks", "rolecall", "local.json");
  const lock = async (name: string, content: object) => {
    await mkdir(lockDir(), { recursive: true });
    await writeFile(path.join(lockDir(), name), JSON.stringify(content));
    await writeFile(path.join(lockDir(), `${name}.attrs`), "{}");
  };

  beforeEach(async () => {
    backend = { root: await mkdtemp(path.join(os.tmpdir(), "rolecall-backend-")), project: "rolecall", stack: "local" };
  });
  afterEach(async () => rm(backend.root, { recursive: true, force: true }));

  it("reads the backend folder from a file:// URL", () => {
    expect(fileBackend({ PULUMI_BACKEND_URL: "file:///srv/state?no_legacy_stack=true" }, "rolecall", "prod")).toEqual({ root: "/srv/state", project: "rolecall", stack: "prod", literal: true });
    expect(fileBackend({ PULUMI_BACKEND_URL: "s3://bucket" }, "rolecall", "prod")).toBeUndefined();
  });

  it("releases a lock of this host whose pid is dead, and says whose it was", async () => {
    await lock("dead.json", { pid: 999_999_999, username: "ci", hostname: os.hostname(), timestamp: "2026-12-01T10:00:00Z" });
    const recovered = await releaseStaleLocks(backend, () => false);
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toContain("999999999");
    await expect(readFile(path.join(lockDir(), "dead.json"))).rejects.toThrow();
    await expect(readFile(path.join(lockDir(), "dead.json.attrs"))).rejects.toThrow();
  });

  it("keeps a lock whose engine is alive, and any lock of another host", async () => {
    await lock("alive.json", { pid: process.pid, username: "ci", hostname: os.hostname(), timestamp: "2026-12-01T10:00:00Z" });
    await lock("elsewhere.json", { pid: 1, username: "ci", hostname: `not-${os.hostname()}`, timestamp: "2026-12-01T10:00:00Z" });
    expect(await releaseStaleLocks(backend, () => true)).toEqual([]);
    expect(await releaseStaleLocks(backend, () => false)).toHaveLength(1);
    await expect(readFile(path.join(lockDir(), "elsewhere.json"), "utf8")).resolves.toContain("not-");
  });

  it("restores the backup when the checkpoint or its metadata file is empty", async () => {
    await mkdir(path.dirname(stackFile()), { recursive: true });
    const good = JSON.stringify({ version: 3, checkpoint: { latest: { resources: [] } } });
    await writeFile(`${stackFile()}.bak`, good);
    await writeFile(`${stackFile()}.bak.attrs`, "{}");
    await writeFile(stackFile(), good);
    await writeFile(`${stackFile()}.attrs`, "");
    expect(await repairCheckpoint(backend)).toEqual([expect.stringContaining("empty metadata file")]);
    expect(await readFile(`${stackFile()}.attrs`, "utf8")).toBe("{}");

    await writeFile(stackFile(), "");
    expect(await repairCheckpoint(backend)).toEqual([expect.stringContaining("empty file")]);
    expect(await readFile(stackFile(), "utf8")).toBe(good);
    expect(await repairCheckpoint(backend)).toEqual([]);
  });

  it("refuses with a hint when no backup is intact", async () => {
    await mkdir(path.dirname(stackFile()), { recursive: true });
    await writeFile(stackFile(), "{");
    await expect(repairCheckpoint(backend)).rejects.toMatchObject({ name: "EnvironmentError", hint: expect.stringContaining("backup") });
  });
});
