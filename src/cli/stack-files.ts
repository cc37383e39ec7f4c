import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { checkStackFile } from "../engine/settings.js";
import type { Finding } from "../model/finding.js";
import type { StackSettings } from "../model/stack-settings.js";

export interface CheckedStack {
  name: string;
  /** The stack file, relative to the project. */
  file: string;
  settings?: StackSettings;
  findings: Finding[];
}

/** Where Pulumi.yaml keeps the stack files (its stackConfigDir), relative to the project. */
export async function stackConfigDir(projectDir: string): Promise<string> {
  try {
    const project = parse(await readFile(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { stackConfigDir?: unknown } | null;
    return typeof project?.stackConfigDir === "string" ? project.stackConfigDir : ".";
  } catch {
    return ".";
  }
}

/** The stacks a project has: every Pulumi.<stack>.yaml in its stack folder, sorted. */
export async function stackNames(projectDir: string, configDir: string): Promise<string[]> {
  const names = await readdir(path.join(projectDir, configDir)).catch(() => [] as string[]);
  return names
    .map((n) => /^Pulumi\.(.+)\.yaml$/.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .sort();
}

/** Checks the named stacks' files (default: all of them), each with its findings. */
export async function checkStacks(projectDir: string, only?: string): Promise<CheckedStack[]> {
  const configDir = await stackConfigDir(projectDir);
  const names = only !== undefined ? [only] : await stackNames(projectDir, configDir);
  const checked: CheckedStack[] = [];
  for (const name of names) {
    const result = await checkStackFile(projectDir, configDir, name);
    checked.push({ name, file: path.posix.join(configDir, `Pulumi.${name}.yaml`), ...result });
  }
  return checked;
}
