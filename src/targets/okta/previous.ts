import { urnName } from "../../engine/state-sync.js";
import { OKTA_TYPES } from "./convert.js";
import { OKTA_USER_STATUSES, type OktaPreviousUser, type OktaUserStatus } from "./status.js";

/** The Okta component's type token; its outputs carry the statuses rolecall declared. */
export const OKTA_COMPONENT_TYPE = "rolecall:targets:Okta";

/** What the stack's last run left of the Okta target. */
export interface OktaPrevious {
  /** Accounts the stack's state holds, by key. */
  users: ReadonlyMap<string, OktaPreviousUser>;
  /** URNs of okta.GroupMemberships an earlier rolecall declared (see DESIGN_DECISIONS.md, "Memberships"). */
  legacyMemberships: string[];
  /** The role types of each okta.UserAdminRoles the state holds, by user key, as last applied (its inputs). */
  adminRoles?: ReadonlyMap<string, readonly string[]>;
}

interface StateResource {
  urn: string;
  type: string;
  parent?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

const isStatus = (value: unknown): value is OktaUserStatus => OKTA_USER_STATUSES.includes(value as OktaUserStatus);

/**
 * Reads the Okta target's part of an exported deployment (`pulumi stack export`, Automation
 * API `exportStack`): which accounts exist, the status rolecall recorded for each in the
 * component's outputs, the raw status the last refresh read, and the admin role types last applied. Pure: the caller exports.
 * `component` is the component's name (`okta`).
 */
export function oktaPrevious(deployment: unknown, component = "okta"): OktaPrevious {
  const resources = ((deployment as { deployment?: { resources?: StateResource[] } } | undefined)?.deployment?.resources ?? []) as StateResource[];
  const owner = resources.find((r) => r.type === OKTA_COMPONENT_TYPE && urnName(r.urn) === component);
  const declared = (owner?.outputs?.statuses ?? {}) as Record<string, unknown>;
  const users = new Map<string, OktaPreviousUser>();
  const legacyMemberships: string[] = [];
  const adminRoles = new Map<string, readonly string[]>();
  for (const r of resources) {
    if (!owner || r.parent !== owner.urn) continue;
    if (r.type === OKTA_TYPES.user) {
      const key = urnName(r.urn);
      const status = declared[key];
      const observed = r.outputs?.rawStatus;
      users.set(key, { ...(isStatus(status) ? { declared: status } : {}), ...(typeof observed === "string" ? { observed } : {}) });
    } else if (r.type === OKTA_TYPES.groupMemberships) {
      legacyMemberships.push(r.urn);
    } else if (r.type === OKTA_TYPES.userAdminRoles && Array.isArray(r.inputs?.adminRoles)) {
      adminRoles.set(urnName(r.urn), (r.inputs.adminRoles as unknown[]).filter((t): t is string => typeof t === "string"));
    }
  }
  return { users, legacyMemberships, adminRoles };
}
