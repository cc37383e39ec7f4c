import { readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
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
    const token = sandbox.server.token;

    await sandbox.restart();
    expect(sandbox.server.token).toBe(token);
    expect((await sandbox.scim("GET", `/Users/${ada}`)).body).toEqual(before.body);
    const members = (await sandbox.scim("GET", `/Groups/${group}`)).body.members;
    expect(members).toEqual([{ value: ada, display: "ada", type: "User" }]);
    await sandbox.stop();
  });

  it("writes the data file privately and leaves no temp files behind", async () => {
    const dir = await freshDir();
    const sandbox = await startTestSandbox(dir);
    await Promise.all(["a", "b", "c", "d"].map((name) => sandbox.createUser(name)));
    await sandbox.stop();
    expect((await readdir(dir)).sort()).toEqual(["sandbox.json", "token"]);
    expect((await stat(join(dir, "sandbox.json"))).mode & 0o777).toBe(0o600);
    const data = JSON.parse(await readFile(join(dir, "sandbox.json"), "utf8"));
    expect(data.users.map((user: { attributes: { userName: string } }) => user.attributes.userName).sort()).toEqual([
      "a",
      "b",
      "c",
      "d",
    ]);
  });

  it("refuses to start on a corrupt data file rather than wiping it", async () => {
    const dir = await freshDir();
    await writeFile(join(dir, "sandbox.json"), "{ half a file");
    await expect(startSandboxServer({ dir, port: 0 })).rejects.toThrow(/sandbox\.json.*sandbox reset/);
    expect(await readFile(join(dir, "sandbox.json"), "utf8")).toBe("{ half a file");
  });
});

describe("SandboxStore", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("serialises concurrent read-modify-write mutations", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const store = await SandboxStore.open(dir);
    await Promise.all(
      Array.from({ length: 25 }, (_, index) =>
        store.mutate((data) => {
          data.groups.push({
            id: `g${index}`,
            meta: { created: "", lastModified: "", version: 1 },
            attributes: { displayName: `g${index}` },
            members: [],
          });
        }),
      ),
    );
    expect(store.data.groups).toHaveLength(25);
    expect((await SandboxStore.open(dir)).data.groups).toHaveLength(25);
  });

  it("leaves the committed state untouched when a mutation throws", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const store = await SandboxStore.open(dir);
    await expect(
      store.mutate((data) => {
        data.users.push({ id: "u", meta: { created: "", lastModified: "", version: 1 }, attributes: { userName: "u" } });
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(store.data.users).toEqual([]);
    await store.mutate(() => undefined);
    expect((await SandboxStore.open(dir)).data.users).toEqual([]);
  });
});
