import path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { EnvironmentError } from "../engine/errors.js";
import { ensurePulumiCli } from "../engine/pulumi-cli.js";
import { openStack, rolecallDir } from "../engine/workspace.js";
import type { DesiredState } from "../model/desired-state.js";
import { StackSettingsSchema, type StackSettings } from "../model/stack-settings.js";
import { startSandboxDaemon } from "../sandbox/daemon.js";
import { readToken } from "../sandbox/token.js";
import { declareTargets, type TargetConnections } from "../targets/declare.js";
import { progress, sandboxPort } from "./context.js";
import { compileDir } from "./desired.js";

export interface StackRun {
  stack: Stack;
  stackName: string;
  desired: DesiredState;
  settings: StackSettings;
}

/**
 * Everything plan and apply share: the engine, the stack, its settings, the compiled
 * desired state, and the connections to its targets (starting the sandbox when the stack
 * provisions into it). The inline program only declares what was compiled here.
 */
export async function prepareStackRun(projectDir: string, stackName: string): Promise<StackRun> {
  const cli = await ensurePulumiCli(progress);
  const declared: { desired?: DesiredState; connections?: TargetConnections } = {};
  const stack = await openStack({
    projectDir,
    stackName,
    cli,
    program: async () => {
      declareTargets(declared.desired!, declared.connections!);
    },
  });
  const config = await stack.getAllConfig();
  const settings = parseSettings(config, stackName);
  const { desired } = await compileDir(path.join(projectDir, settings.desiredState), undefined);
  declared.desired = desired;
  declared.connections = await connect(settings, config, projectDir);
  return { stack, stackName, desired, settings };
}

type ConfigMap = Awaited<ReturnType<Stack["getAllConfig"]>>;

function parseSettings(config: ConfigMap, stackName: string): StackSettings {
  const raw: Record<string, unknown> = {};
  for (const [key, { value, secret }] of Object.entries(config)) {
    if (!key.startsWith("rolecall:") || secret) continue;
    raw[key.slice("rolecall:".length)] = parseValue(value);
  }
  const result = StackSettingsSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  rolecall:${i.path.join(".")}: ${i.message}`).join("\n");
    throw new EnvironmentError(`stacks/Pulumi.${stackName}.yaml has invalid rolecall settings:\n${problems}`, "see the README's section on stacks and targets");
  }
  return result.data;
}

function parseValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

async function connect(settings: StackSettings, config: ConfigMap, projectDir: string): Promise<TargetConnections> {
  const connections: TargetConnections = {};
  const scim = settings.targets.scim;
  if (scim?.endpoint === "sandbox") {
    const dir = path.join(rolecallDir(projectDir), "sandbox");
    const { url } = await startSandboxDaemon(dir, { port: sandboxPort() });
    const token = await readToken(dir);
    if (!token) throw new EnvironmentError(`the sandbox in ${dir} has no token`, "run `rolecall sandbox reset` and try again");
    connections.scim = { endpoint: url, token };
  } else if (scim) {
    const token = config["rolecall:scimToken"]?.value ?? process.env.ROLECALL_SCIM_TOKEN;
    if (!token) {
      throw new EnvironmentError(`no token for the SCIM endpoint ${scim.endpoint}`, "set it with `pulumi config set --secret rolecall:scimToken …` or the ROLECALL_SCIM_TOKEN environment variable");
    }
    connections.scim = { endpoint: scim.endpoint, token };
  }
  return connections;
}
