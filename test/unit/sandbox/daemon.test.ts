import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive } from "../../../src/sandbox/pidfile.js";
import { compileSandbox } from "./compiled.js";

type Daemon = typeof import("../../../src/sandbox/daemon.js");

async function scim(url: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
  return (await response.json()) as { id: string };
}

describe("sandbox daemon", () => {
  let build: string;
  let daemon: Daemon;
  let dir: string;

  beforeAll(async () => {
    build = await compileSandbox();
    daemon = (await import(/* @vite-ignore */ pathToFileURL(join(build, "sandbox/daemon.js")).href)) as Daemon;
    dir = await mkdtemp(join(tmpdir(), "rolecall-sandbox-daemon-"));
  });

  afterAll(async () => {
    await daemon?.stopSandboxDaemon(dir);
    await rm(dir, { recursive: true, force: true });
    await rm(build, { recursive: true, force: true });
  });

  it("starts, reports, lists, resets and stops a background sandbox", async () => {
    expect(await daemon.sandboxStatus(dir)).toEqual({ running: false });

    const [first, second] = await Promise.all([
      daemon.startSandboxDaemon(dir, { port: 0 }),
      daemon.startSandboxDaemon(dir, { port: 0 }),
    ]);
    expect(second).toEqual(first);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    expect(first.pid).not.toBe(process.pid);
    expect(await daemon.startSandboxDaemon(dir, { port: 0 })).toEqual(first);
    expect(await daemon.sandboxStatus(dir)).toEqual({ running: true, pid: first.pid, url: first.url });
    expect(JSON.parse(await readFile(join(dir, "endpoint.json"), "utf8"))).toEqual(first);
    expect((await readFile(join(dir, "sandbox.pid"), "utf8")).trim()).toBe(String(first.pid));

    const token = (await readFile(join(dir, "token"), "utf8")).trim();
    const user = (name: string, externalId: string) =>
      scim(first.url, token, "POST", "/Users", { userName: name, externalId, active: name !== "zoe" });
    const zoe = await user("zoe", "W3");
    const ada = await user("ada", "W1");
    const max = await user("Max", "W2");
    await scim(first.url, token, "POST", "/Groups", {
      displayName: "ops",
      members: [{ value: zoe.id }, { value: ada.id }],
    });
    await scim(first.url, token, "POST", "/Groups", { displayName: "Finance", members: [{ value: max.id }] });

    expect(await daemon.listSandbox(dir)).toEqual({
      users: [
        { id: max.id, userName: "Max", externalId: "W2", active: true },
        { id: ada.id, userName: "ada", externalId: "W1", active: true },
        { id: zoe.id, userName: "zoe", externalId: "W3", active: false },
      ],
      groups: [
        { id: expect.any(String), displayName: "Finance", members: ["Max"] },
        { id: expect.any(String), displayName: "ops", members: ["ada", "zoe"] },
      ],
    });

    await daemon.resetSandbox(dir);
    expect(await daemon.listSandbox(dir)).toEqual({ users: [], groups: [] });
    expect(await daemon.sandboxStatus(dir)).toMatchObject({ running: true, pid: first.pid });

    await user("ada", "W1");
    expect(await daemon.stopSandboxDaemon(dir)).toEqual({ wasRunning: true });
    expect(isAlive(first.pid)).toBe(false);
    expect(await daemon.sandboxStatus(dir)).toEqual({ running: false });
    expect((await readdir(dir)).sort()).toEqual(["sandbox.db", "sandbox.log", "token"]);

    // Stopped: read from and reset the file.
    expect((await daemon.listSandbox(dir)).users.map((listed) => listed.userName)).toEqual(["ada"]);
    await daemon.resetSandbox(dir);
    expect(await daemon.listSandbox(dir)).toEqual({ users: [], groups: [] });
    expect(await daemon.stopSandboxDaemon(dir)).toEqual({ wasRunning: false });

    const log = await readFile(join(dir, "sandbox.log"), "utf8");
    expect(log).toMatch(/ POST \/scim\/v2\/Users 201 \d+ms/);
    expect(log).not.toContain(token);
    expect(log).not.toContain("W1");
  });

  it("ignores a stale pid file and starts afresh", async () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    await writeFile(join(dir, "sandbox.pid"), `${dead}\n`);
    await writeFile(join(dir, "endpoint.json"), JSON.stringify({ url: "http://127.0.0.1:1/scim/v2", pid: dead }));
    expect(await daemon.sandboxStatus(dir)).toEqual({ running: false });

    const started = await daemon.startSandboxDaemon(dir, { port: 0 });
    expect(started.pid).not.toBe(dead);
    expect(await daemon.sandboxStatus(dir)).toEqual({ running: true, ...started });
    expect(await daemon.stopSandboxDaemon(dir)).toEqual({ wasRunning: true });
  });

  it("reports a sandbox that cannot start, saying why", async () => {
    const blocker = await daemon.startSandboxDaemon(dir, { port: 0 });
    const port = Number(new URL(blocker.url).port);
    const other = await mkdtemp(join(tmpdir(), "rolecall-sandbox-daemon-"));
    try {
      await expect(daemon.startSandboxDaemon(other, { port })).rejects.toThrow(/EADDRINUSE.*ROLECALL_SANDBOX_PORT/);
      expect(await readFile(join(other, "sandbox.log"), "utf8")).toContain("EADDRINUSE");
      expect(await daemon.sandboxStatus(other)).toEqual({ running: false });
    } finally {
      await daemon.stopSandboxDaemon(dir);
      await rm(other, { recursive: true, force: true });
    }
  });
});
