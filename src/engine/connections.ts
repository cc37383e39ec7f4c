import type { DesiredState } from "../model/desired-state.js";
import type { StackSettings } from "../model/stack-settings.js";
import type { TargetConnections } from "../targets/declare.js";
import { ALL_TARGETS } from "../targets/registry.js";

export interface ConnectionOptions {
  projectDir: string;
  /** The SCIM token from stack config (`rolecall:scimToken`, a secret), if set. */
  scimToken?: unknown;
  sandboxPort?: number;
  /** The compiled desired state: a target's credentials may depend on what it hands out (Okta admin roles need the role scopes). */
  desired?: DesiredState;
}

/**
 * How to reach each target the stack switches on, each by its own `connect` (the sandbox is
 * started when the stack provisions into it; other endpoints take their token from stack
 * config or the environment).
 */
export async function resolveConnections(settings: StackSettings, opts: ConnectionOptions): Promise<TargetConnections> {
  const connections: Record<string, unknown> = {};
  for (const target of ALL_TARGETS) {
    const own = (settings.targets as Record<string, unknown>)[target.name];
    if (own === undefined) continue;
    const projection = (opts.desired?.targets as Record<string, unknown> | undefined)?.[target.name];
    connections[target.name] = await target.connect(own, { projectDir: opts.projectDir, scimToken: opts.scimToken, sandboxPort: opts.sandboxPort, projection });
  }
  return connections as TargetConnections;
}
