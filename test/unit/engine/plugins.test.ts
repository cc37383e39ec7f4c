import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { pluginArchive, pluginsFor } from "../../../src/engine/plugins.js";

const require = createRequire(import.meta.url);
const pinned = (pkg: string) => (require(`${pkg}/package.json`) as { pulumi: { version: string } }).pulumi.version;

describe("the provider plugins a stack needs", () => {
  it("are the exact versions the installed provider packages pin, per enabled target", () => {
    expect(pluginsFor(["scim"])).toEqual([]);
    expect(pluginsFor(["okta"]).map((p) => [p.name, p.version])).toEqual([["okta", pinned("@pulumi/okta")]]);
    expect(pluginsFor(["aws", "azuread", "scim"]).map((p) => [p.name, p.version, p.targets])).toEqual([
      ["aws", pinned("@pulumi/aws"), ["aws"]],
      ["azuread", pinned("@pulumi/azuread"), ["azuread"]],
      // Entra ID's initial passwords come from @pulumi/random.
      ["random", pinned("@pulumi/random"), ["azuread"]],
    ]);
  });

  it("name the release archive for this machine", () => {
    expect(pluginArchive({ name: "okta", version: "7.0.0" })).toMatch(/^pulumi-resource-okta-v7\.0\.0-(linux|darwin|win32)-(amd64|arm64)\.tar\.gz$/);
  });
});
