import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isAlive } from "../../../src/sandbox/pidfile.js";
import { compileSandbox } from "./compiled.js";
import { GROUP_SCHEMA, PATCH_SCHEMA, USER_SCHEMA } from "./helpers.js";

type Daemon = typeof import("../../../src/sandbox/daemon.js");

const IN_FLIGHT = 16;

/**
 * The sandbox process is stopped in the middle of a burst of concurrent writes (users created,
 * members added to one group), then started again: every write it acknowledged must be there.
 */
describe("sandbox durability under a burst of writes", () => {
  let build: string;
  let daemon: Daemon;
  let dir: string;

  beforeAll(async () => {
    build = await compileSandbox();
    daemon = (await import(/* @vite-ignore */ pathToFileURL(join(build, "sandbox/daemon.js")).href)) as Daemon;
    dir = await mkdtemp(join(tmpdir(), "rolecall-sandbox-crash-"));
  });

  afterAll(async () => {
    await daemon?.stopSandboxDaemon(dir);
    await rm(dir, { recursive: true, force: true });
    await rm(build, { recursive: true, force: true });
  });

  const call = async (url: string, token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
  };

  /** Writes with IN_FLIGHT requests at a time, calls `interrupt` once `after` users are acknowledged; returns what was. */
  const burst = async (url: string, token: string, groupId: string, round: string, interrupt: () => Promise<void>, after: number) => {
    const users: string[] = [];
    const members: string[] = [];
    let interrupted: Promise<void> | undefined;
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < 2000) {
          const index = next++;
          try {
            const created = await call(url, token, "POST", "/Users", { schemas: [USER_SCHEMA], userName: `${round}-${index}` });
            if (created.status !== 201) continue;
            users.push(created.body.id);
            const added = await call(url, token, "PATCH", `/Groups/${groupId}`, {
              schemas: [PATCH_SCHEMA],
              Operations: [{ op: "add", path: "members", value: [{ value: created.body.id }] }],
            });
            if (added.status === 200) members.push(created.body.id);
          } catch {
            // The connection died with the process: not acknowledged.
            return;
          }
          if (users.length >= after && !interrupted) interrupted = interrupt();
        }
      }),
    );
    await interrupted;
    return { users, members };
  };

  const expectAllPresent = async (acknowledged: { users: string[]; members: string[] }, groupId: string) => {
    const { url } = await daemon.startSandboxDaemon(dir, { port: 0 });
    const bearer = (await readFile(join(dir, "token"), "utf8")).trim();
    const missing: string[] = [];
    for (const id of acknowledged.users) if ((await call(url, bearer, "GET", `/Users/${id}`)).status !== 200) missing.push(id);
    expect(missing).toEqual([]);
    const group = await call(url, bearer, "GET", `/Groups/${groupId}`);
    const held = new Set((group.body.members as { value: string }[]).map((member) => member.value));
    expect(acknowledged.members.filter((id) => !held.has(id))).toEqual([]);
    return { url, token: bearer };
  };

  it("keeps every acknowledged write through a kill -9 and through a restart", async () => {
    const first = await daemon.startSandboxDaemon(dir, { port: 0 });
    const token = (await readFile(join(dir, "token"), "utf8")).trim();
    const group = await call(first.url, token, "POST", "/Groups", { schemas: [GROUP_SCHEMA], displayName: "Everyone" });
    expect(group.status).toBe(201);

    const killed = await burst(first.url, token, group.body.id, "killed", async () => void process.kill(first.pid, "SIGKILL"), 150);
    // Until the test process reaps it, a killed child still answers signal 0 as a zombie.
    await vi.waitFor(() => expect(isAlive(first.pid)).toBe(false), { timeout: 10_000, interval: 50 });
    expect(killed.users.length).toBeGreaterThanOrEqual(150);
    const second = await expectAllPresent(killed, group.body.id);

    const restarted = await burst(second.url, second.token, group.body.id, "restarted", async () => void (await daemon.stopSandboxDaemon(dir)), 150);
    expect(restarted.users.length).toBeGreaterThanOrEqual(150);
    await expectAllPresent({ users: [...killed.users, ...restarted.users], members: [...killed.members, ...restarted.members] }, group.body.id);
  }, 300_000);
});
