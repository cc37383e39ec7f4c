import path from "node:path";
import type { Deployment, Stack } from "@pulumi/pulumi/automation/index.js";
import { checkPlugins } from "../engine/plugins.js";
import { ensurePulumiCli } from "../engine/pulumi-cli.js";
import { resolveConnections } from "../engine/connections.js";
import { EngineLog } from "../engine/engine-log.js";
import type { FileBackend } from "../engine/file-backend.js";
import type { Recovered } from "../engine/recover.js";
import { programRun } from "../engine/program-runs.js";
import { openStack, requireKnownStack } from "../engine/workspace.js";
import type { AdoptionPlan } from "../model/adoption.js";
import type { DesiredState } from "../model/desired-state.js";
import type { Inputs } from "../model/inputs.js";
import type { Policy } from "../model/policy.js";
import type { StackSettings } from "../model/stack-settings.js";
import { parseStackSettings } from "../engine/settings.js";
import { declareTargets, readPreviousDeclarations, readsPreviousState, type DeclaredPart, type PreviousDeclarations, type TargetConnections } from "../targets/declare.js";
import { stackRecord, type StackRecord } from "../targets/record.js";
import { stackParallelism } from "../targets/parallelism.js";
import { ALL_TARGETS } from "../targets/registry.js";
import { skipCheckpoints } from "../targets/checkpoints.js";
import { encodeRecord, exportCheckpoint, RECORD_OUTPUT, stackOutputs } from "../engine/state-sync.js";
import type { PreviousRecord } from "../model/previous.js";
import { readPreviousRecord } from "../targets/record.js";
import { progress, RefusedError, sandboxPort } from "./context.js";
import { formatFindings } from "./findings-format.js";
import { checkStacks } from "./stack-files.js";
import { compileDir, loadRefusingErrors } from "./desired.js";

export interface StackRun {
  stack: Stack;
  stackName: string;
  desired: DesiredState;
  policy: Policy;
  /** The HR export's rows `desired` was compiled from: attest takes today's leavers from them too. */
  roster: Inputs["roster"];
  settings: StackSettings;
  /** The engine's whole output for this run. */
  log: EngineLog;
  /** Where locks and checkpoints are files, when the backend is a folder. */
  backend?: FileBackend;
  /** What was left over from an interrupted run and put right, in words. */
  recovered: Recovered;
  /**
   * What the stack holds as of its last apply — the record plans compare against, read once
   * the state is known to be sound. The program keeps it as the stack's output whatever it
   * declares, so an update that fails or is killed never records what it did not do.
   */
  previous?: StackRecord;
  /** The stack's checkpoint when the run began, exported once: its outputs, pending operations and protect flags. */
  exported: Deployment;
  /** The stack's outputs as the last update left them (from `exported`). */
  outputs: Record<string, unknown>;
  /** What the run adopts and does with orphans, decided from the live inventory before the preview (cli/adoption-run.ts). */
  adoption?: AdoptionPlan;
  /** The record of what this run declares; apply writes it once the update did its steps. */
  declared: StackRecord;
  /** How the program reaches each enabled target (secrets handed to the engine's environment left out). */
  connections: TargetConnections;
  /**
   * The program declares only these accounts and groups (in the targets that can declare part
   * of theirs), and every preview and update is limited to these resources (Pulumi's --target),
   * so the rest of the state is left as it is, not deleted. No resource at all: the run runs no
   * engine command. Set by the leaver fast path, and by a full run whose targets tell what
   * changed (change-scope.ts), which also counts the resources it left out and says whether the
   * live read found any of the rest drifted from the state (a preview then refreshes them), and
   * what only a refresh may touch (gone from the target, to be dropped from the state).
   */
  part?: DeclaredPart & { urns: string[]; unchanged?: number; drift?: boolean; refreshOnly?: string[] };
  /**
   * Reads again what the state holds of the targets (Okta's raw statuses, Entra ID's enabled
   * flags, group members), for the program to compare with: apply calls it after its refresh,
   * so the drift it reports is what the targets hold now, not at the last run.
   */
  readTargetState: (state?: Deployment) => Promise<void>;
}

/**
 * Everything plan and apply share: the engine, the stack, its settings, the compiled
 * desired state, and the connections to its targets (starting the sandbox when the stack
 * provisions into it). The inline program only declares what was compiled here.
 */
export async function prepareStackRun(projectDir: string, stackName: string, verb: string): Promise<StackRun> {
  await requireKnownStack(projectDir, stackName);
  const fromFile = await refuseInvalidStackFile(projectDir, stackName);
  const loaded = fromFile ? { dir: fromFile.desiredState, inputs: await loadRefusingErrors(path.join(projectDir, fromFile.desiredState), fromFile.targets) } : undefined;
  const cli = await ensurePulumiCli(progress);
  const declared: { desired?: DesiredState; connections?: TargetConnections; previous?: PreviousDeclarations; run?: StackRun } = {};
  const { stack, backend, recovered } = await openStack({
    projectDir,
    stackName,
    cli,
    program: () =>
      programRun(async () => {
        const record = declared.run?.previous;
        // The run's desired state, not the compiled one: the leaver fast path narrows it.
        const adoption = declared.run?.adoption;
        await declareTargets(declared.run?.desired ?? declared.desired!, declared.connections!, { ...declared.previous, ...(record ? { record } : {}), ...(adoption ? { adoption } : {}) }, declared.run?.part);
        return record ? { [RECORD_OUTPUT]: encodeRecord(record) } : {};
      }),
  });
  const config = await stack.getAllConfig();
  const settings = settingsOf(config, stackName);
  await checkPlugins(cli, Object.keys(settings.targets), stackName);
  // The targets' API limits, applied to every preview and update of this stack (targets/parallelism.ts).
  const parallel = stackParallelism(Object.keys(settings.targets), process.env.PULUMI_PARALLEL);
  if (parallel !== undefined) stack.workspace.envVars.PULUMI_PARALLEL = String(parallel);
  // The state is then written once, when the update ends (failed steps included); a run killed
  // before that leaves the state as it was, and the next run converges (targets/checkpoints.ts).
  if (skipCheckpoints(Object.keys(settings.targets))) stack.workspace.envVars.PULUMI_SKIP_CHECKPOINTS = "true";
  // What the last run left, for decisions that depend on it (Okta statuses, Entra groups changing form).
  const readTargetState = async (state?: Deployment) => {
    const part = declared.run?.part !== undefined;
    if (!part && !readsPreviousState(Object.keys(settings.targets))) return;
    declared.previous = readPreviousDeclarations(Object.keys(settings.targets), state ?? (await exportCheckpoint(stack)), part);
  };
  const exported = await exportCheckpoint(stack);
  await readTargetState(exported);
  const inputs = loaded?.dir === settings.desiredState ? loaded.inputs : undefined;
  const outputs = stackOutputs(exported);
  const { desired, policy, roster } = await compileDir(path.join(projectDir, settings.desiredState), undefined, settings.targets, previousOf(outputs), inputs);
  declared.desired = desired;
  declared.connections = await resolveConnections(settings, {
    projectDir,
    scimToken: config["rolecall:scimToken"]?.value,
    sandboxPort: sandboxPort(),
    desired,
  });
  // Secrets a target's provider takes from the engine's environment never reach the state.
  const connections: Record<string, unknown> = { ...declared.connections };
  for (const target of ALL_TARGETS) {
    if (!target.handOff || connections[target.name] === undefined) continue;
    const handed = target.handOff(connections[target.name]);
    Object.assign(stack.workspace.envVars, handed.env);
    connections[target.name] = handed.connection;
  }
  declared.connections = connections as TargetConnections;
  const log = await EngineLog.open(projectDir, stackName, verb);
  for (const line of recovered) {
    progress(`recovered: ${line}`);
    log.note(`recovered: ${line}`);
  }
  declared.run = {
    stack,
    stackName,
    desired,
    policy,
    roster,
    settings,
    log,
    recovered,
    exported,
    outputs,
    ...(backend ? { backend } : {}),
    declared: stackRecord(desired, Object.keys(declared.connections)),
    connections: declared.connections,
    readTargetState,
  };
  return declared.run;
}

/** The stack file is checked with its lines before any engine starts (exit 1, not a stack trace); its settings. */
async function refuseInvalidStackFile(projectDir: string, stackName: string): Promise<StackSettings | undefined> {
  const [checked] = await checkStacks(projectDir, stackName);
  const errors = checked!.findings.filter((f) => f.severity === "error");
  if (errors.length === 0) return checked!.settings;
  process.stderr.write(formatFindings(checked!.findings, "text", path.relative(process.cwd(), projectDir)) + "\n");
  throw new RefusedError(`${errors.length} error${errors.length === 1 ? "" : "s"} in ${checked!.file}; nothing was previewed or applied`);
}

/** A stack's record, for `compile`/`validate --stack`: the engine is needed, the targets are not. */
export async function readStackRecord(projectDir: string, stackName: string): Promise<PreviousRecord | undefined> {
  const cli = await ensurePulumiCli(progress);
  const { stack } = await openStack({ projectDir, stackName, cli, program: async () => ({}) });
  return previousOf(stackOutputs(await exportCheckpoint(stack)));
}

/** The record of the stack's last update (from its outputs): compile's identity ledger and what losses are explained against. */
function previousOf(outputs: Record<string, unknown>): PreviousRecord | undefined {
  const { record, problem } = readPreviousRecord(outputs);
  if (problem) throw new RefusedError(`${problem}; nothing was compiled into a plan`);
  return record;
}

type ConfigMap = Awaited<ReturnType<Stack["getAllConfig"]>>;

function settingsOf(config: ConfigMap, stackName: string): StackSettings {
  const raw: Record<string, unknown> = {};
  for (const [key, { value, secret }] of Object.entries(config)) {
    if (!key.startsWith("rolecall:") || secret) continue;
    raw[key.slice("rolecall:".length)] = parseValue(value);
  }
  return parseStackSettings(raw, stackName);
}

function parseValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
