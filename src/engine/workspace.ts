import { randomBytes } from "node:crypto";
import { chmod, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { LocalWorkspace, type PulumiFn, type Stack } from "@pulumi/pulumi/automation/index.js";
import { parse, stringify } from "yaml";
import { EnvironmentError } from "./errors.js";
import type { PulumiCli } from "./pulumi-cli.js";
import { fileBackend, type FileBackend } from "./file-backend.js";
import { releaseStaleLocks, repairCheckpoint, type Recovered } from "./recover.js";

/** The stack that provisions into the local sandbox, with its state under .rolecall/. */
export const LOCAL_STACK = "local";

export interface WorkspaceOptions {
  projectDir: string;
  stackName: string;
  cli: PulumiCli;
  program: PulumiFn;
}

/** rolecall's per-clone working folder (git-ignored): local state, sandbox, secrets. */
export function rolecallDir(projectDir: string): string {
  return path.join(projectDir, ".rolecall");
}

/** The environment every engine invocation runs with: offline-safe, no surprises. */
export function engineEnv(projectDir: string, stackName: string): Record<string, string> {
  const env: Record<string, string> = {
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  if (stackName === LOCAL_STACK) {
    env.PULUMI_BACKEND_URL = `file://${path.join(rolecallDir(projectDir), "state")}`;
    if (!process.env.PULUMI_CONFIG_PASSPHRASE && !process.env.PULUMI_CONFIG_PASSPHRASE_FILE) {
      env.PULUMI_CONFIG_PASSPHRASE_FILE = path.join(rolecallDir(projectDir), "passphrase");
    }
  }
  return env;
}

/**
 * Selects (or creates) a stack running `program` inline: the language runtime is served from
 * this process, so no nodejs language host plugin is needed. The local stack runs in a
 * generated workspace under .rolecall/ — Pulumi writes a per-clone encryption salt into the
 * stack's settings file, which must not land in the tracked stacks/Pulumi.local.yaml.
 */
export async function openStack(opts: WorkspaceOptions): Promise<OpenedStack> {
  const envVars = engineEnv(opts.projectDir, opts.stackName);
  const project = await readProject(opts.projectDir);
  await requireKnownStack(opts.projectDir, opts.stackName);
  let workDir = opts.projectDir;
  if (opts.stackName === LOCAL_STACK) {
    await mkdir(path.join(rolecallDir(opts.projectDir), "state"), { recursive: true });
    if (envVars.PULUMI_CONFIG_PASSPHRASE_FILE) await ensurePassphrase(envVars.PULUMI_CONFIG_PASSPHRASE_FILE);
    workDir = await materialiseLocalWorkspace(opts.projectDir, project);
  }
  // Before the engine opens the stack: a damaged checkpoint fails even `stack select`.
  const backend = fileBackend(envVars, project.name, opts.stackName);
  const recovered = backend ? [...(await releaseStaleLocks(backend)), ...(await repairCheckpoint(backend))] : [];
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: opts.stackName, projectName: project.name, program: opts.program },
    { workDir, pulumiCommand: opts.cli.command, envVars },
  );
  return { stack, recovered, ...(backend ? { backend } : {}) };
}

export interface OpenedStack {
  stack: Stack;
  /** The backend's folder, when it is a file backend. */
  backend?: FileBackend;
  /** What an interrupted run had left behind and was put right (a stale lock, a damaged checkpoint). */
  recovered: Recovered;
}

/** The stacks this project defines: one `Pulumi.<name>.yaml` each in the stack config folder. */
export async function knownStacks(projectDir: string, stackConfigDir = "."): Promise<string[]> {
  const names = await readdir(path.join(projectDir, stackConfigDir)).catch(() => [] as string[]);
  return names.flatMap((n) => /^Pulumi\.(.+)\.yaml$/.exec(n)?.slice(1) ?? []).sort();
}

/**
 * A stack must have its settings file before anything is written for it: a typo'd --stack
 * would otherwise create a stack in the backend and a settings file beside the real ones.
 */
export async function requireKnownStack(projectDir: string, stackName: string): Promise<void> {
  const project = await readProject(projectDir);
  const known = await knownStacks(projectDir, project.stackConfigDir);
  if (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(stackName) && known.includes(stackName)) return;
  const where = path.join(project.stackConfigDir ?? ".", `Pulumi.${stackName}.yaml`);
  throw new EnvironmentError(
    `there is no stack '${stackName}' (no ${where}); the stacks are: ${known.join(", ") || "none"}`,
    `pass --stack with one of them, or create ${where} with its targets first (see stacks/Pulumi.prod.yaml.example)`,
  );
}

interface ProjectFile {
  name: string;
  main?: string;
  stackConfigDir?: string;
  plugins?: { providers?: { name: string; path: string }[] };
  [key: string]: unknown;
}

async function readProject(projectDir: string): Promise<ProjectFile> {
  const file = path.join(projectDir, "Pulumi.yaml");
  try {
    return parse(await readFile(file, "utf8")) as ProjectFile;
  } catch (error) {
    throw new EnvironmentError(`cannot read ${file}: ${(error as Error).message}`, "run rolecall from the project folder (the one holding Pulumi.yaml)");
  }
}

async function materialiseLocalWorkspace(projectDir: string, project: ProjectFile): Promise<string> {
  const workDir = path.join(rolecallDir(projectDir), "workspace");
  await mkdir(workDir, { recursive: true });
  // `main` goes too: the program runs inline, and the engine checks that main exists.
  const { stackConfigDir = ".", plugins, main: _main, ...rest } = project;
  const providers = plugins?.providers?.map((p) => ({ ...p, path: path.resolve(projectDir, p.path) }));
  await writeFile(path.join(workDir, "Pulumi.yaml"), stringify({ ...rest, ...(providers ? { plugins: { ...plugins, providers } } : {}) }));

  const source = path.join(projectDir, stackConfigDir, `Pulumi.${LOCAL_STACK}.yaml`);
  const target = path.join(workDir, `Pulumi.${LOCAL_STACK}.yaml`);
  const settings = (parse(await readFile(source, "utf8")) ?? {}) as Record<string, unknown>;
  const previous = (await readFile(target, "utf8").then(parse, () => ({}))) as Record<string, unknown> | null;
  const salt = previous?.encryptionsalt;
  await writeFile(target, stringify({ ...settings, ...(salt ? { encryptionsalt: salt } : {}) }));
  return workDir;
}

async function ensurePassphrase(file: string): Promise<void> {
  try {
    await readFile(file);
  } catch {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
    await chmod(file, 0o600);
  }
}
