import { readFile, writeFile } from "node:fs/promises";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile/compile.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import { declareTargets } from "../../src/targets/declare.js";

const GOLDEN = new URL("./__golden__/urns.txt", import.meta.url);
const resources: pulumi.Resource[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: () => ({}),
    },
    "rolecall",
    "prod",
    false,
  );
});

/**
 * Resource names are the contract with every deployed stack: a change of naming scheme would
 * delete and recreate every account. This pins every URN of the sample organisation with all
 * targets switched on. A deliberate change regenerates the file (ROLECALL_UPDATE_GOLDEN=1)
 * and ships with aliases.
 */
describe("the URN contract", () => {
  it("matches the golden file for the sample organisation on every target", async () => {
    const desired = compile(await loadDesiredState("desired-state"), "2026-11-25");
    // A stack transformation sees every resource, components' children included.
    await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation((args) => {
        resources.push(args.resource);
        return undefined;
      });
      await declareTargets(desired, {
      scim: { endpoint: "https://scim.example.com/v2", token: "unused" },
      okta: { orgName: "example", baseUrl: "okta.com" },
      azuread: { tenantId: "00000000-0000-0000-0000-000000000000" },
      aws: { region: "eu-central-1", identityStoreId: "d-1234567890", instanceArn: "arn:aws:sso:::instance/ssoins-1234567890abcdef" },
      } as Parameters<typeof declareTargets>[1]);
      return {};
    });
    const urns = await Promise.all(resources.map((r) => new Promise<string>((resolve) => r.urn.apply(resolve))));
    // The mock monitor qualifies top-level components with the root stack's type; the engine
    // does not (checked against a real local stack's state), so the golden file drops it.
    const actual = [...new Set(urns.map((u) => u.replace("::pulumi:pulumi:Stack$", "::")))].sort().join("\n") + "\n";
    if (process.env.ROLECALL_UPDATE_GOLDEN) await writeFile(GOLDEN, actual);
    expect(actual).toBe(await readFile(GOLDEN, "utf8"));
  });
});
