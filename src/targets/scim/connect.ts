import path from "node:path";
import { EnvironmentError } from "../../engine/errors.js";
import { rolecallDir } from "../../engine/workspace.js";
import { startSandboxDaemon } from "../../sandbox/daemon.js";
import { readToken } from "../../sandbox/token.js";
import type { ConnectContext } from "../target.js";
import type { ScimConnection } from "./index.js";
import type { ScimTargetSettings } from "./schema.js";

/**
 * The sandbox is started when the stack provisions into it; another SCIM endpoint takes its
 * token from stack config or the environment.
 */
export async function connectScim(settings: ScimTargetSettings, ctx: ConnectContext): Promise<ScimConnection> {
  if (settings.endpoint === "sandbox") {
    const dir = path.join(rolecallDir(ctx.projectDir), "sandbox");
    // A sandbox that cannot start is this machine's problem (a busy port), not a defect: exit 2 with its cause.
    const { url } = await startSandboxDaemon(dir, { port: ctx.sandboxPort }).catch((error: Error) => {
      throw new EnvironmentError(error.message, `its log: ${path.join(dir, "sandbox.log")}`);
    });
    const token = await readToken(dir);
    if (!token) throw new EnvironmentError(`the sandbox in ${dir} has no token`, "run `rolecall sandbox reset` and try again");
    return { endpoint: url, token };
  }
  const token = (ctx.scimToken as ScimConnection["token"] | undefined) ?? process.env.ROLECALL_SCIM_TOKEN;
  if (!token) {
    throw new EnvironmentError(
      `no token for the SCIM endpoint ${settings.endpoint}`,
      "set it with `pulumi config set --secret rolecall:scimToken …` or the ROLECALL_SCIM_TOKEN environment variable",
    );
  }
  return { endpoint: settings.endpoint, token };
}
