// A throwaway Pulumi project for one benchmark variant: its own file backend, passphrase,
// SCIM sandbox and (for dynamic providers) the pulumi-nodejs launcher, all under one temp dir,
// so variants never share state and nothing touches the repository's .rolecall/.
import { chmod, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation/index.js";
import { stringify } from "yaml";
import { startSandboxServer } from "../../dist/sandbox/server.js";

/** The real project's name and local stack name, so URNs (hence state bytes) match a real deployment's. */
export const PROJECT = "rolecall";
export const STACK = "local";

export async function startSandbox(root) {
  return startSandboxServer({ dir: path.join(root, "sandbox"), port: 0 });
}

/**
 * The official `pulumi-resource-pulumi-nodejs` is this sh script; the engine finds it on PATH
 * (bundled plugins are looked up there first). Our Go-built CLI does not ship it.
 */
export async function writeDynamicLauncher(binDir, repoRoot) {
  await mkdir(binDir, { recursive: true });
  const file = path.join(binDir, "pulumi-resource-pulumi-nodejs");
  const entry = path.join(repoRoot, "node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js");
  await writeFile(file, `#!/bin/sh\nexec "${process.execPath}" "${entry}" "$@"\n`);
  await chmod(file, 0o755);
}

/**
 * An inline-program stack in `root`/workspace with a file backend in `root`/state. `plugins`
 * is Pulumi.yaml's plugins.providers list (the native variant points at bin/).
 */
export async function openStack({ root, cli, program, plugins = [], extraPath }) {
  const workDir = path.join(root, "workspace");
  const stateDir = path.join(root, "state");
  await mkdir(workDir, { recursive: true });
  await mkdir(stateDir, { recursive: true });
  const project = { name: PROJECT, runtime: "nodejs", ...(plugins.length ? { plugins: { providers: plugins } } : {}) };
  await writeFile(path.join(workDir, "Pulumi.yaml"), stringify(project));
  const envVars = {
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: "provider-choice-benchmark",
    ...(extraPath ? { PATH: `${extraPath}${path.delimiter}${process.env.PATH ?? ""}` } : {}),
  };
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: STACK, projectName: PROJECT, program },
    { workDir, pulumiCommand: cli.command, envVars },
  );
  return { stack, stateDir };
}

/** The stack's checkpoint file in a file backend (`.pulumi/stacks/<project>/<stack>.json`). */
export async function checkpointFile(stateDir) {
  const dir = path.join(stateDir, ".pulumi", "stacks", PROJECT);
  const names = await readdir(dir);
  const name = names.find((n) => n === `${STACK}.json`) ?? names.find((n) => n.startsWith(`${STACK}.json`));
  if (!name) throw new Error(`no checkpoint for stack ${STACK} in ${dir} (found: ${names.join(", ")})`);
  return path.join(dir, name);
}

export async function removeDir(dir) {
  await rm(dir, { recursive: true, force: true });
}
