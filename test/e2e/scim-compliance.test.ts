import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxServer, type SandboxServer } from "../../src/sandbox/server.js";
import { ensureScim2Tester, runScim2Tester, type CheckResult } from "../support/scim2-tester.js";
import { tempDir } from "../unit/sandbox/helpers.js";

/** What scim2-tester counts as meeting the RFCs: MUSTs, SHOULDs, and MAYs done reasonably. */
const PASSING = new Set(["SUCCESS", "COMPLIANT", "ACCEPTABLE"]);

describe("the sandbox against scim2-tester, an independent SCIM 2.0 compliance suite", () => {
  let dir: string;
  let server: SandboxServer;
  let results: CheckResult[];

  beforeAll(async () => {
    const python = await ensureScim2Tester((line) => process.stderr.write(`${line}\n`));
    dir = await tempDir();
    server = await startSandboxServer({ dir, port: 0 });
    results = await runScim2Tester(python, server.url, server.token);
  }, 600_000);

  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("runs every check, on Users and on Groups", () => {
    expect(results.length).toBeGreaterThan(100);
    const types = new Set(results.map((result) => result.resourceType).filter((type) => type !== null));
    expect([...types].sort()).toEqual(["Group", "User"]);
    const families = ["discovery", "service-provider-config", "resource-types", "schemas", "crud:create", "crud:read", "crud:read:attributes"];
    for (const tag of [...families, "crud:update", "crud:delete", "patch:add", "patch:remove", "patch:replace", "misc"]) {
      expect(results.some((result) => result.tags.includes(tag)), tag).toBe(true);
    }
  });

  it("passes every check", () => {
    const failing = results.filter((result) => !PASSING.has(result.status));
    expect(failing.map((result) => `${result.status} ${result.resourceType ?? "-"} ${result.title}: ${result.reason}`)).toEqual([]);
  });
});
