import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { EnvironmentError } from "./errors.js";
import type { PulumiCli } from "./pulumi-cli.js";
import { ALL_TARGETS } from "../targets/registry.js";

/** One provider plugin the engine must find installed: `pulumi-resource-<name>` v<version>. */
export interface ProviderPlugin {
  name: string;
  version: string;
  /** The npm package whose `pulumi` field pins this plugin. */
  pkg: string;
  /** The targets that need it. */
  targets: string[];
}

/**
 * The provider packages each cloud target declares resources of (each target's `packages`).
 * The SCIM target uses rolecall's own provider, served from this process, and needs no plugin.
 */
export const TARGET_PACKAGES: Readonly<Record<string, readonly string[]>> = Object.fromEntries(ALL_TARGETS.filter((t) => t.packages.length > 0).map((t) => [t.name, t.packages]));

const requireHere = createRequire(import.meta.url);

/**
 * The exact plugin each package was generated against, read from the installed package's own
 * package.json (`pulumi: { resource: true, name, version }`): the engine loads that version
 * and no other when automatic plugin acquisition is off.
 */
export function pluginOfPackage(pkg: string): { name: string; version: string } {
  const manifest = requireHere(`${pkg}/package.json`) as { pulumi?: { resource?: boolean; name?: string; version?: string } };
  const { name, version } = manifest.pulumi ?? {};
  if (!manifest.pulumi?.resource || !name || !version) throw new Error(`${pkg}/package.json has no pulumi.{name,version}: it is not a resource provider package`);
  return { name, version };
}

/** The plugins the given targets need, one entry per plugin, in a stable order. */
export function pluginsFor(targets: readonly string[]): ProviderPlugin[] {
  const byName = new Map<string, ProviderPlugin>();
  for (const target of targets) {
    for (const pkg of TARGET_PACKAGES[target] ?? []) {
      const { name, version } = pluginOfPackage(pkg);
      const known = byName.get(name);
      if (known) known.targets.push(target);
      else byName.set(name, { name, version, pkg, targets: [target] });
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The cloud targets, for `rolecall setup --all-plugins`. */
export const CLOUD_TARGETS: readonly string[] = Object.keys(TARGET_PACKAGES);

const run = promisify(execFile);

/** The environment the engine runs plugin commands with (the same plugin folder as every preview). */
function pluginEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" };
}

/**
 * The resource plugins the engine sees installed, as `name@version` — asked of the engine
 * itself (`pulumi plugin ls --json`), so the answer follows its own lookup (PULUMI_HOME or
 * ~/.pulumi/plugins) rather than a guess at its folder layout.
 */
export async function installedPlugins(cli: PulumiCli): Promise<Set<string>> {
  const { stdout } = await run(cli.command.command, ["plugin", "ls", "--json"], { env: pluginEnv(), maxBuffer: 16 * 1024 * 1024 });
  const listed = JSON.parse(stdout || "[]") as { name: string; kind: string; version?: string }[];
  return new Set(listed.filter((p) => p.kind === "resource" && p.version).map((p) => `${p.name}@${p.version!.replace(/^v/, "")}`));
}

/** Which of `plugins` the engine lacks. */
export async function missingPlugins(cli: PulumiCli, plugins: readonly ProviderPlugin[]): Promise<ProviderPlugin[]> {
  if (plugins.length === 0) return [];
  const installed = await installedPlugins(cli);
  return plugins.filter((p) => !installed.has(`${p.name}@${p.version}`));
}

/** The release archive of a plugin for this machine, as published with each provider release. */
export function pluginArchive(plugin: Pick<ProviderPlugin, "name" | "version">): string {
  const arch = os.arch() === "x64" ? "amd64" : os.arch();
  return `pulumi-resource-${plugin.name}-v${plugin.version}-${os.platform()}-${arch}.tar.gz`;
}

/**
 * The error for missing plugins: a few lines naming each plugin, its version, the targets
 * that need it, and the two ways to install it. Never the engine's own output, which lists
 * every resource of the stack — people's names and emails among them.
 */
export function missingPluginsError(missing: readonly ProviderPlugin[], cli: PulumiCli, stack?: string): EnvironmentError {
  const list = missing.map((p) => `${p.name} v${p.version} (for ${p.targets.join(", ")})`).join(", ");
  const pulumi = cli.command.command;
  const hint = [
    `where the internet is reachable, run \`rolecall setup${stack ? ` --stack ${stack}` : " --all-plugins"}\`; elsewhere, download each release archive`,
    "(github.com/pulumi/pulumi-<name>/releases) onto this machine and install it from the file:",
    ...missing.map((p) => `    ${pulumi} plugin install resource ${p.name} ${p.version} --file ${pluginArchive(p)}`),
  ].join("\n  ");
  return new EnvironmentError(`the Pulumi provider plugin${missing.length > 1 ? "s" : ""} ${list} ${missing.length > 1 ? "are" : "is"} not installed`, hint);
}

/**
 * Refuses to run the engine for `targets` while a plugin they need is missing. Called before
 * any preview or update, so a fresh machine gets this message instead of the engine's.
 */
export async function checkPlugins(cli: PulumiCli, targets: readonly string[], stack?: string): Promise<void> {
  const missing = await missingPlugins(cli, pluginsFor(targets));
  if (missing.length > 0) throw missingPluginsError(missing, cli, stack);
}

export interface InstallResult {
  installed: ProviderPlugin[];
  present: ProviderPlugin[];
  failed: { plugin: ProviderPlugin; reason: string }[];
}

/**
 * Installs the exact versions with the engine (`pulumi plugin install resource NAME VERSION
 * --exact`), into the engine's plugin folder — outside the clone, so a fresh checkout reuses
 * them. A failure (no internet) is collected with its last line, not thrown, so the caller
 * can report every missing plugin at once.
 */
export async function installPlugins(cli: PulumiCli, plugins: readonly ProviderPlugin[], log: (line: string) => void = () => {}): Promise<InstallResult> {
  const missing = new Set(await missingPlugins(cli, plugins));
  const result: InstallResult = { installed: [], present: plugins.filter((p) => !missing.has(p)), failed: [] };
  // Downloads, not CPU: in parallel, so an offline machine waits for one retry cycle, not three.
  await Promise.all([...missing].map(async (plugin) => {
    log(`installing the Pulumi provider plugin ${plugin.name} v${plugin.version}…`);
    try {
      await run(cli.command.command, ["plugin", "install", "resource", plugin.name, plugin.version, "--exact", "--non-interactive"], {
        env: pluginEnv(),
        timeout: 10 * 60_000,
        maxBuffer: 16 * 1024 * 1024,
      });
      result.installed.push(plugin);
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message);
      result.failed.push({ plugin, reason: lastLine(stderr) });
    }
  }));
  result.installed.sort((a, b) => a.name.localeCompare(b.name));
  result.failed.sort((a, b) => a.plugin.name.localeCompare(b.plugin.name));
  return result;
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n").filter((l) => l.trim() !== "");
  return (lines.at(-1) ?? "").replace(/^error:\s*/, "").slice(0, 300);
}

/**
 * The targets a stack file switches on, read from `stacks/Pulumi.<stack>.yaml` (or the
 * project's stackConfigDir) without the engine: `rolecall setup` runs before any stack exists.
 */
export async function stackFileTargets(projectDir: string, stack: string): Promise<string[]> {
  const project = (parse(await readFile(path.join(projectDir, "Pulumi.yaml"), "utf8")) ?? {}) as { stackConfigDir?: string };
  const file = path.join(projectDir, project.stackConfigDir ?? ".", `Pulumi.${stack}.yaml`);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new EnvironmentError(`there is no stack file ${path.relative(projectDir, file)}`, "name an existing stack with --stack, or use --all-plugins");
  }
  const config = ((parse(text) ?? {}) as { config?: Record<string, unknown> }).config ?? {};
  const targets = config["rolecall:targets"];
  return targets && typeof targets === "object" ? Object.keys(targets) : [];
}

/**
 * `rolecall setup`'s plugin step: installs what the stack's targets need (every cloud target's
 * plugins with `all`). Throws the missing-plugins error, listing each one, when any could not
 * be installed.
 */
export async function setupPlugins(cli: PulumiCli, projectDir: string, opts: { stack?: string; all?: boolean }, log: (line: string) => void): Promise<InstallResult> {
  const targets = opts.all ? CLOUD_TARGETS : await stackFileTargets(projectDir, opts.stack ?? "local");
  const result = await installPlugins(cli, pluginsFor(targets), log);
  if (result.failed.length > 0) {
    for (const { plugin, reason } of result.failed) log(`could not install ${plugin.name} v${plugin.version}: ${reason}`);
    throw missingPluginsError(result.failed.map((f) => f.plugin), cli, opts.all ? undefined : opts.stack);
  }
  return result;
}
