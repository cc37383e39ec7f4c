import { StackSettingsSchema, type StackSettings } from "../model/stack-settings.js";
import { EnvironmentError } from "./errors.js";

/** Validates the `rolecall:*` settings of a stack (keys without the namespace). */
export function parseStackSettings(raw: Record<string, unknown>, stackName: string): StackSettings {
  const result = StackSettingsSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  rolecall:${i.path.join(".")}: ${i.message}`).join("\n");
  throw new EnvironmentError(`stacks/Pulumi.${stackName}.yaml has invalid rolecall settings:\n${problems}`, "see the README's section on stacks and targets");
}
