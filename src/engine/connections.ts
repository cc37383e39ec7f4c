import path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../model/stack-settings.js";
import { startSandboxDaemon } from "../sandbox/daemon.js";
import { readToken } from "../sandbox/token.js";
import type { TargetConnections } from "../targets/declare.js";
import { EnvironmentError } from "./errors.js";
import { rolecallDir } from "./workspace.js";
import { checkOktaCredentials } from "../targets/okta/credentials.js";

export interface ConnectionOptions {
  projectDir: string;
  /** The SCIM token from stack config (`rolecall:scimToken`, a secret), if set. */
  scimToken?: pulumi.Input<string>;
  sandboxPort?: number;
  /** The catalog hands out Okta admin roles, so OAuth credentials need the role scopes too. */
  needsOktaAdminRoles?: boolean;
}

/**
 * How to reach each target the stack switches on. The sandbox is started when the stack
 * provisions into it; other endpoints take their token from stack config or the environment.
 */
export async function resolveConnections(settings: StackSettings, opts: ConnectionOptions): Promise<TargetConnections> {
  const connections: TargetConnections = {};
  const scim = settings.targets.scim;
  if (scim?.endpoint === "sandbox") {
    const dir = path.join(rolecallDir(opts.projectDir), "sandbox");
    // A sandbox that cannot start is this machine's problem (a busy port), not a defect: exit 2 with its cause.
    const { url } = await startSandboxDaemon(dir, { port: opts.sandboxPort }).catch((error: Error) => {
      throw new EnvironmentError(error.message, `its log: ${path.join(dir, "sandbox.log")}`);
    });
    const token = await readToken(dir);
    if (!token) throw new EnvironmentError(`the sandbox in ${dir} has no token`, "run `rolecall sandbox reset` and try again");
    connections.scim = { endpoint: url, token };
  } else if (scim) {
    const token = opts.scimToken ?? process.env.ROLECALL_SCIM_TOKEN;
    if (!token) {
      throw new EnvironmentError(
        `no token for the SCIM endpoint ${scim.endpoint}`,
        "set it with `pulumi config set --secret rolecall:scimToken …` or the ROLECALL_SCIM_TOKEN environment variable",
      );
    }
    connections.scim = { endpoint: scim.endpoint, token };
  }
  if (settings.targets.okta) {
    const check = checkOktaCredentials(process.env, settings.targets.okta, opts.needsOktaAdminRoles ?? false);
    if (!check.ok) throw new EnvironmentError(`the Okta target cannot authenticate:\n  ${check.problems.join("\n  ")}`, "see src/targets/okta/README.md for the variables and the permissions they need");
    connections.okta = settings.targets.okta;
  }
  if (settings.targets.azuread) connections.azuread = settings.targets.azuread;
  if (settings.targets.aws) connections.aws = settings.targets.aws;
  return connections;
}
