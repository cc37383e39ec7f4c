import type { Finding } from "../../model/finding.js";
import type { ScimTargetSettings } from "./schema.js";
import { emailLimits, type LimitContext } from "../limit-context.js";

/**
 * What a SCIM service provider refuses that rolecall can know before the engine runs. RFC
 * 7643 sets no lengths; the userName is the email, which must be a deliverable address
 * (RFC 5321) for the SP to send its invitations.
 */
export function scimLimits(ctx: LimitContext<ScimTargetSettings>): Finding[] {
  return emailLimits(ctx, "scim");
}
