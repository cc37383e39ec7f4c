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
 * token from the environment, else from stack config. The environment wins because in CI each
 * job's token comes from its own scope — the plan job, which runs a pull request's code, a
 * read-only one; the apply environment the write one — while a stack secret is one value for
 * every job that can decrypt the stack, the plan job included (README, "Control-plane safety").
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
  const token = process.env.ROLECALL_SCIM_TOKEN || (ctx.scimToken as ScimConnection["token"] | undefined);
  if (!token) {
    throw new EnvironmentError(
      `no token for the SCIM endpoint ${settings.endpoint}`,
      "set the ROLECALL_SCIM_TOKEN environment variable, or `pulumi config set --secret rolecall:scimToken …` (not in CI: see the README's Control-plane safety)",
    );
  }
  return { endpoint: settings.endpoint, token };
}
