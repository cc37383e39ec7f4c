import * as pulumi from "@pulumi/pulumi";
import { compile } from "./compile/compile.js";
import { resolveConnections } from "./engine/connections.js";
import { parseStackSettings } from "./engine/settings.js";
import { todayIn } from "./load/as-of.js";
import { loadDesiredState } from "./load/desired-state-dir.js";
import { declareTargets } from "./targets/declare.js";
import type { RECORD_OUTPUT } from "./engine/state-sync.js";

/**
 * The Pulumi program, for running the project with the `pulumi` CLI directly: stack config →
 * compile → declare. `rolecall plan` and `apply` run the same declaration inline, after
 * compiling and checking the inputs themselves.
 */
export default async function program(): Promise<Record<typeof RECORD_OUTPUT, string>> {
  const config = new pulumi.Config("rolecall");
  const settings = parseStackSettings(
    { desiredState: config.get("desiredState"), targets: config.getObject("targets") },
    pulumi.getStack(),
  );
  const inputs = await loadDesiredState(settings.desiredState);
  const desired = compile(inputs, config.get("asOf") ?? todayIn(inputs.policy.organization.timezone));
  const errors = desired.findings.filter((f) => f.severity === "error");
  if (errors.length > 0) {
    throw new Error(`the desired state has ${errors.length} error(s); run \`rolecall validate\`:\n${errors.map((f) => `  ${f.file}:${f.line}: ${f.message}`).join("\n")}`);
  }
  const connections = await resolveConnections(settings, { projectDir: process.cwd(), scimToken: config.getSecret("scimToken") });
  return await declareTargets(desired, connections);
}
