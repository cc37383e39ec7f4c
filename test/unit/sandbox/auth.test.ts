import { stat, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSandboxServer } from "../../../src/sandbox/server.js";
import { startTestSandbox, tempDir, type TestSandbox } from "./helpers.js";

describe("sandbox authentication", () => {
  let sandbox: TestSandbox;
  beforeEach(async () => {
    sandbox = await startTestSandbox();
  });
  afterEach(async () => {
    await sandbox.stop();
  });

  it("listens on 127.0.0.1 under /scim/v2", () => {
    expect(sandbox.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
  });

  it("refuses requests without a token with a SCIM 401", async () => {
    const response = await fetch(`${sandbox.server.url}/Users`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(response.headers.get("content-type")).toContain("application/scim+json");
    const body = await response.json();
    expect(body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" });
  });

  it("refuses a wrong token, a token of another length and a non-bearer scheme", async () => {
    const wrong = sandbox.server.token.replace(/.$/, (c) => (c === "0" ? "1" : "0"));
    for (const authorization of [`Bearer ${wrong}`, "Bearer short", `Basic ${sandbox.server.token}`]) {
      const response = await fetch(`${sandbox.server.url}/Users`, { headers: { authorization } });
      expect(response.status, authorization).toBe(401);
    }
  });

  it("refuses writes, and paths outside the SCIM base, without a token", async () => {
    const post = await fetch(`${sandbox.server.url}/Users`, {
      method: "POST",
      headers: { "content-type": "application/scim+json" },
      body: JSON.stringify({ userName: "mallory" }),
    });
    expect(post.status).toBe(401);
    const origin = new URL(sandbox.server.url).origin;
    expect((await fetch(`${origin}/admin/state`)).status).toBe(401);
    expect((await fetch(`${origin}/admin/reset`, { method: "POST" })).status).toBe(401);
    expect((await sandbox.scim("GET", "/Users")).body.totalResults).toBe(0);
  });

  it("accepts the right token", async () => {
    const reply = await sandbox.scim("GET", "/ServiceProviderConfig");
    expect(reply.status).toBe(200);
    expect(reply.body.patch.supported).toBe(true);
    expect(reply.body.filter.supported).toBe(true);
  });
});

describe("sandbox token file", () => {
  it("is created with mode 0600 and reused on the next start", async () => {
    const dir = await tempDir();
    try {
      const first = await startSandboxServer({ dir, port: 0 });
      await first.close();
      const file = join(dir, "token");
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await readFile(file, "utf8")).trim()).toBe(first.token);
      expect(first.token).toMatch(/^[0-9a-f]{64}$/);

      const second = await startSandboxServer({ dir, port: 0 });
      await second.close();
      expect(second.token).toBe(first.token);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("will not bind anywhere but 127.0.0.1", async () => {
    const dir = await tempDir();
    try {
      await expect(startSandboxServer({ dir, port: 0, host: "0.0.0.0" as "127.0.0.1" })).rejects.toThrow(/127\.0\.0\.1/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
