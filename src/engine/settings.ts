import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { parseYamlFile } from "../load/yaml-file.js";
import type { Finding } from "../model/finding.js";
import { StackSettingsSchema, type StackSettings } from "../model/stack-settings.js";
import { EnvironmentError } from "./errors.js";

/** Validates the `rolecall:*` settings of a stack (keys without the namespace). */
export function parseStackSettings(raw: Record<string, unknown>, stackName: string): StackSettings {
  const result = StackSettingsSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  rolecall:${i.path.join(".")}: ${i.message}`).join("\n");
  throw new EnvironmentError(`stacks/Pulumi.${stackName}.yaml has invalid rolecall settings:\n${problems}`, "see the README's section on stacks and targets");
}

/** What Pulumi itself writes at the top of a stack file; `config` holds rolecall's settings. */
const StackFileSchema = z.strictObject({
  config: z.record(z.string(), z.unknown()).default({}),
  secretsprovider: z.string().optional(),
  encryptedkey: z.string().optional(),
  encryptionsalt: z.string().optional(),
  environment: z.unknown().optional(),
});

const SECRET_KEYS = new Set(["rolecall:scimToken"]);

export interface StackFileResult {
  /** The settings, when the file is valid. */
  settings?: StackSettings;
  /** Problems, each at its line of the stack file; `file` is relative to the project. */
  findings: Finding[];
}

/**
 * Reads and checks stacks/Pulumi.<stack>.yaml as rolecall will use it — before any engine
 * starts, so a typo is a finding with its line rather than a stack trace from inside Pulumi.
 * Keys outside rolecall's namespace are refused: rolecall configures its providers itself,
 * so `aws:region` and the like would be silently ignored.
 */
export async function checkStackFile(projectDir: string, stackConfigDir: string, stackName: string): Promise<StackFileResult> {
  const file = path.posix.join(stackConfigDir.split(path.sep).join("/") || ".", `Pulumi.${stackName}.yaml`).replace(/^\.\//, "");
  let text: string;
  try {
    text = await readFile(path.join(projectDir, file), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { findings: [{ severity: "error", code: "missing-stack-file", message: `${file} does not exist`, file, hint: `create it (see stacks/Pulumi.prod.yaml.example) or choose another --stack` }] };
    return { findings: [{ severity: "error", code: "unreadable-stack-file", message: `${file} cannot be read (${code ?? "error"})`, file, hint: "it must be a regular, readable file" }] };
  }
  const parsed = parseYamlFile(file, text, StackFileSchema);
  const findings = parsed.findings.map((f) => (f.code === "schema" ? { ...f, code: "stack-schema" } : f));
  if (!parsed.value) return { findings };
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed.value.config)) {
    const line = parsed.lineOf(["config", key]);
    if (SECRET_KEYS.has(key)) {
      if (!isSecure(value)) {
        findings.push({ severity: "error", code: "stack-plain-secret", message: `${key} is in plain text`, file, line, hint: `remove it and run \`pulumi config set --secret ${key} <token> --stack ${stackName}\`, or set ROLECALL_SCIM_TOKEN` });
      }
    } else if (key.startsWith("rolecall:")) {
      raw[key.slice("rolecall:".length)] = value;
    } else {
      findings.push({ severity: "error", code: "stack-unknown-key", message: `config key '${key}' is not a rolecall setting`, file, line, hint: "rolecall takes rolecall:desiredState and rolecall:targets (and the secret rolecall:scimToken); provider settings go under rolecall:targets" });
    }
  }
  const result = StackSettingsSchema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const [first, ...rest] = issue.path;
      const yamlPath = first === undefined ? ["config"] : ["config", `rolecall:${String(first)}`, ...rest];
      const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
      // An unknown key is reported at the key itself, not at the map that holds it.
      const at = keys.length > 0 ? parsed.lineOf([...yamlPath, keys[0]!]) : parsed.lineOf(yamlPath);
      findings.push({
        severity: "error",
        code: "stack-schema",
        message: `rolecall:${issue.path.map(String).join(".")}${issue.path.length ? ": " : ""}${issue.message}`,
        file,
        line: first === undefined && keys.length > 0 ? parsed.lineOf(["config", `rolecall:${keys[0]}`]) : at,
        hint: keys.length > 0 ? `remove or correct ${keys.map((k) => `'${k}'`).join(", ")}; see the README's section on stacks and targets` : "see the README's section on stacks and targets",
      });
    }
  }
  return findings.length === 0 && result.success ? { settings: result.data, findings } : { findings };
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { secure?: unknown }).secure === "string";
}
