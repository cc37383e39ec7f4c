import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pluginsFor } from "../../src/engine/plugins.js";
import { ensurePulumiCli } from "../../src/engine/pulumi-cli.js";
import { TempProject } from "./support/project.js";

const CLOUD_STACK = `config:
  rolecall:desiredState: desired-state
  rolecall:targets:
    okta: {}
    azuread:
      tenantId: 00000000-0000-0000-0000-000000000000
    aws:
      region: eu-central-1
      identityStoreId: d-1234567890
      instanceArn: arn:aws:sso:::instance/ssoins-1234567890abcdef
`;

/**
 * A stack with cloud targets on a machine whose engine lacks their provider plugins (this
 * one: plugins cannot be downloaded here). Each run gets an empty PULUMI_HOME, so the result
 * does not depend on what happens to be installed.
 */
describe("a cloud stack without its provider plugins", () => {
  let project: TempProject;
  let home: string;

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "rolecall-pulumi-home-"));
    const state = path.join(home, "state");
    await mkdir(state);
    project = await TempProject.create({ PULUMI_HOME: home, PULUMI_BACKEND_URL: `file://${state}`, PULUMI_CONFIG_PASSPHRASE: "test" });
    await writeFile(path.join(project.dir, "stacks", "Pulumi.cloud.yaml"), CLOUD_STACK);
  });
  afterAll(async () => {
    await project.remove();
    await rm(home, { recursive: true, force: true });
  });

  it("plan exits 2 naming each missing plugin, its version and how to install it from a file, in a few lines", async () => {
    const result = await project.run("plan", "--stack", "cloud");
    expect(result.code).toBe(2);
    for (const plugin of pluginsFor(["okta", "azuread", "aws"])) {
      expect(result.stderr).toContain(`${plugin.name} v${plugin.version}`);
      expect(result.stderr).toContain(`plugin install resource ${plugin.name} ${plugin.version} --file pulumi-resource-${plugin.name}-v${plugin.version}-`);
    }
    expect(result.stderr.trim().split("\n").length).toBeLessThanOrEqual(10);
    // Nothing of the engine's output, which would list every person of the roster.
    expect(result.stderr + result.stdout).not.toMatch(/@example\.com|no resource plugin|pulumi:pulumi:Stack/);
  });

  it("apply refuses the same way before the engine runs", async () => {
    const result = await project.run("apply", "--stack", "cloud", "--yes");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/okta v7\.0\.0 \(for okta\)/);
  });

  it("once the plugins are installed from files, the check passes and the next check (credentials) speaks", async () => {
    const cli = await ensurePulumiCli();
    // Stand-in binaries: the check asks the engine what is installed, it does not start them.
    const fake = path.join(home, "fake-plugin");
    await writeFile(fake, "#!/bin/sh\nexit 1\n");
    await chmod(fake, 0o755);
    for (const plugin of pluginsFor(["okta", "azuread", "aws"])) {
      await promisify(execFile)(cli.command.command, ["plugin", "install", "resource", plugin.name, plugin.version, "--file", fake], {
        env: { ...process.env, PULUMI_HOME: home, PULUMI_SKIP_UPDATE_CHECK: "true" },
      });
    }
    const result = await project.run("plan", "--stack", "cloud");
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/not installed/);
    expect(result.stderr).toMatch(/Okta target cannot authenticate/);
  });

  it("setup: a stack needing no plugin succeeds, installed plugins satisfy it, an empty plugin folder offline fails with the same message", async () => {
    expect((await project.run("setup")).code).toBe(0);
    const other = await mkdtemp(path.join(os.tmpdir(), "rolecall-pulumi-home-"));
    try {
      const missing = await project.run("setup", "--stack", "cloud");
      // The plugins installed above satisfy it; an empty plugin folder cannot be filled offline.
      expect(missing.code).toBe(0);
      const offline = await TempProject.create({ PULUMI_HOME: other });
      await writeFile(path.join(offline.dir, "stacks", "Pulumi.cloud.yaml"), CLOUD_STACK);
      const refused = await offline.run("setup", "--stack", "cloud");
      await offline.remove();
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/okta v7\.0\.0 \(for okta\).*not installed/s);
      expect(refused.stderr).toContain("plugin install resource okta 7.0.0 --file");
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  }, 180_000);
});
