import { EnvironmentError } from "../../engine/errors.js";
import type { OktaTargetSettings } from "./settings.js";
import type { ConnectContext } from "../target.js";
import { checkOktaCredentials } from "./credentials.js";
import type { OktaProjection } from "./schema.js";

/** The provider authenticates through OKTA_* variables: checked here so a missing one is a clear message, not a provider error mid-preview. */
export function connectOkta(settings: OktaTargetSettings, ctx: ConnectContext): OktaTargetSettings {
  // Admin roles in the catalog need the role scopes of OAuth credentials too.
  const needsAdminRoles = ((ctx.projection as OktaProjection | undefined)?.adminRoles.length ?? 0) > 0;
  const check = checkOktaCredentials(process.env, settings, needsAdminRoles);
  if (!check.ok) throw new EnvironmentError(`the Okta target cannot authenticate:\n  ${check.problems.join("\n  ")}`, "see src/targets/okta/README.md for the variables and the permissions they need");
  return settings;
}
