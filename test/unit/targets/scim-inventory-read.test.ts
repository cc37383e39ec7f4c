import { afterEach, describe, expect, it } from "vitest";
import { EnvironmentError } from "../../../src/engine/errors.js";
import { readScimInventory } from "../../../src/targets/scim/inventory.js";
import { freePort } from "../../support/scim2-server.js";
import { startTestServer, type TestServer } from "../scim-provider/http-fixture.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("reading a SCIM service provider live, when it cannot be read", () => {
  it("names the endpoint and what to check when nothing answers, as the environment's to fix", async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}/scim/v2`;
    const failure = await readScimInventory({ endpoint, token: "secret-token" }, { sleep: async () => undefined }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EnvironmentError);
    expect((failure as Error).message).toContain(`scim: reading the users and groups of ${endpoint} failed`);
    expect((failure as EnvironmentError).hint).toMatch(/reachable/);
    expect(JSON.stringify(failure) + String(failure)).not.toContain("secret-token");
  });

  it("says the provider refused, when it refuses the token", async () => {
    server = await startTestServer(() => ({ status: 401, body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401", detail: "bad token" } }));
    const failure = await readScimInventory({ endpoint: server.endpoint, token: "t" }, { sleep: async () => undefined }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EnvironmentError);
    expect((failure as Error).message).toMatch(/HTTP 401/);
  });
});
