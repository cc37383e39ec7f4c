import { readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { listSandbox, resetSandbox } from "../../../src/sandbox/daemon.js";
import { startSandboxServer } from "../../../src/sandbox/server.js";
import { SandboxStore } from "../../../src/sandbox/store.js";
import { startTestSandbox, tempDir } from "./helpers.js";

describe("sandbox persistence", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const freshDir = async () => {
    const dir = await tempDir();
    dirs.push(dir);
    return dir;
  };

  it("keeps users, groups, versions and the token across a restart", async () => {
    const sandbox = await startTestSandbox(await freshDir());
    const ada = await sandbox.createUser("ada", { externalId: "W1" });
    const group = await sandbox.createGroup("Finance", [ada]);
    await sandbox.patch(`/Users/${ada}`, { op: "replace", path: "active", value: false });
    const before = await sandbox.scim("GET", `/Users/${ada}`);
    const groupBefore = await sandbox.scim("GET", `/Groups/${group}`);
    const token = sandbox.server.token;

    await sandbox.restart();
    expect(sandbox.server.token).toBe(token);
    const after = await sandbox.scim("GET", `/Users/${ada}`);
    const origin = (text: string) => text.replace(/http:\/\/127\.0\.0\.1:\d+/g, "");
    expect(JSON.parse(origin(JSON.stringify(after.body)))).toEqual(JSON.parse(origin(JSON.stringify(before.body))));
    const groupAfter = await sandbox.scim("GET", `/Groups/${group}`);
    expect(groupAfter.body.members.map((member: { value: string }) => member.value)).toEqual([ada]);
    expect(groupAfter.body.meta.version).toBe(groupBefore.body.meta.version);
    await sandbox.stop();
  });

  it("keeps its data file private and leaves only it and the token behind on a clean stop", async () => {
    const dir = await freshDir();
    const sandbox = await startTestSandbox(dir);
    await Promise.all(["a", "b", "c", "d"].map((name) => sandbox.createUser(name)));
    for (const file of (await readdir(dir)).filter((name) => name.startsWith("sandbox.db"))) {
      expect((await stat(join(dir, file))).mode & 0o777, file).toBe(0o600);
    }
    await sandbox.stop();
    expect((await readdir(dir)).sort()).toEqual(["sandbox.db", "token"]);
    expect((await listSandbox(dir)).users.map((user) => user.userName)).toEqual(["a", "b", "c", "d"]);
  });

  it("refuses to start on a damaged data file rather than wiping it, and reset empties it", async () => {
    const dir = await freshDir();
    await writeFile(join(dir, "sandbox.db"), "not a database, not even close ".repeat(200));
    await expect(startSandboxServer({ dir, port: 0 })).rejects.toThrow(/sandbox\.db.*sandbox reset/);
    expect(await readFile(join(dir, "sandbox.db"), "utf8")).toMatch(/^not a database/);
    await resetSandbox(dir);
    const sandbox = await startTestSandbox(dir);
    expect((await sandbox.scim("GET", "/Users")).body.totalResults).toBe(0);
    await sandbox.stop();
  });
});

describe("migrating a sandbox.json from before the SQLite store", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  const legacy = {
    format: 1,
    users: [
      {
        id: "u-ada",
        meta: { created: "2025-01-02T03:04:05.000Z", lastModified: "2025-02-03T04:05:06.000Z", version: 3 },
        attributes: { userName: "ada", externalId: "W1", active: false, name: { givenName: "Ada" } },
      },
      { id: "u-max", meta: { created: "2025-01-02T03:04:05.000Z", lastModified: "2025-01-02T03:04:05.000Z", version: 1 }, attributes: { userName: "Max", active: true } },
    ],
    groups: [
      {
        id: "g-fin",
        meta: { created: "2025-01-02T03:04:05.000Z", lastModified: "2025-01-02T03:04:05.000Z", version: 2 },
        attributes: { displayName: "Finance", externalId: "finance" },
        members: ["u-ada", "u-max"],
      },
    ],
  };

  it("moves every user, group and membership over with ids, versions and times, once", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    await writeFile(join(dir, "sandbox.json"), JSON.stringify(legacy));
    const sandbox = await startTestSandbox(dir);
    const ada = await sandbox.scim("GET", "/Users/u-ada");
    expect(ada.body).toMatchObject({
      userName: "ada",
      externalId: "W1",
      active: false,
      name: { givenName: "Ada" },
      meta: { created: "2025-01-02T03:04:05.000Z", lastModified: "2025-02-03T04:05:06.000Z", version: 'W/"3"' },
    });
    const group = await sandbox.scim("GET", "/Groups/g-fin");
    expect(group.body.members.map((member: { value: string; display: string }) => [member.value, member.display])).toEqual([
      ["u-ada", "ada"],
      ["u-max", "Max"],
    ]);
    expect(group.body.meta.version).toBe('W/"2"');
    expect((await readdir(dir)).sort()).toEqual(["sandbox.db", "sandbox.db-shm", "sandbox.db-wal", "sandbox.json.migrated", "token"]);
    await sandbox.restart();
    expect((await sandbox.scim("GET", "/Users")).body.totalResults).toBe(2);
    await sandbox.stop();
  });

  it("refuses a damaged sandbox.json, leaving it as it was", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    await writeFile(join(dir, "sandbox.json"), "{ half a file");
    await expect(startSandboxServer({ dir, port: 0 })).rejects.toThrow(/sandbox\.json.*sandbox reset/);
    expect(await readFile(join(dir, "sandbox.json"), "utf8")).toBe("{ half a file");
  });

  it("imports nothing when one record cannot be migrated", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const broken = { ...legacy, users: [...legacy.users, { id: "u-bad", meta: legacy.users[0]!.meta, attributes: { userName: "bad", active: "maybe" } }] };
    await writeFile(join(dir, "sandbox.json"), JSON.stringify(broken));
    await expect(startSandboxServer({ dir, port: 0 })).rejects.toThrow(/u-bad cannot be migrated/);
    const store = SandboxStore.open(dir);
    expect(store.count("User")).toBe(0);
    store.close();
  });
});

describe("SandboxStore", () => {
  it("leaves nothing behind when a transaction throws", async () => {
    const dir = await tempDir();
    try {
      const store = SandboxStore.open(dir);
      const user = { kind: "User" as const, id: "u", nameKey: "u", externalId: null, created: "", lastModified: "", version: 1, body: { userName: "u" } };
      expect(() =>
        store.transaction(() => {
          store.insert(user);
          throw new Error("refused");
        }),
      ).toThrow("refused");
      expect(store.get("User", "u")).toBeUndefined();
      store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
