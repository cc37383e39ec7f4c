import { afterEach, describe, expect, it } from "vitest";
import { EnvironmentError } from "../../../src/engine/errors.js";
import { connectScim } from "../../../src/targets/scim/connect.js";
import { tokenViaEnvironment } from "../../../src/targets/scim/token-handoff.js";

const endpoint = "https://app.example.com/scim/v2";
const connect = (scimToken?: string) => connectScim({ endpoint }, { projectDir: "/nonexistent", scimToken });

describe("the SCIM token's source", () => {
  const saved = process.env.ROLECALL_SCIM_TOKEN;
  afterEach(() => {
    if (saved === undefined) delete process.env.ROLECALL_SCIM_TOKEN;
    else process.env.ROLECALL_SCIM_TOKEN = saved;
  });

  it("is ROLECALL_SCIM_TOKEN over the stack secret: the plan job's read-only token is the one it uses", async () => {
    process.env.ROLECALL_SCIM_TOKEN = "read-only";
    await expect(connect("write")).resolves.toEqual({ endpoint, token: "read-only" });
  });

  it("is the stack secret when the variable is unset or empty (an unset GitHub secret expands to '')", async () => {
    process.env.ROLECALL_SCIM_TOKEN = "";
    await expect(connect("write")).resolves.toEqual({ endpoint, token: "write" });
    delete process.env.ROLECALL_SCIM_TOKEN;
    await expect(connect("write")).resolves.toEqual({ endpoint, token: "write" });
  });

  it("reaches the provider through the engine's environment, and the declared connection says so", () => {
    expect(tokenViaEnvironment({ endpoint, token: "write" })).toEqual({ env: { ROLECALL_SCIM_PROVIDER_TOKEN: "write" }, connection: { endpoint, token: "write", tokenInEnvironment: true } });
  });

  it("is refused, naming both sources, when there is none", async () => {
    delete process.env.ROLECALL_SCIM_TOKEN;
    await expect(connect()).rejects.toBeInstanceOf(EnvironmentError);
  });
});
