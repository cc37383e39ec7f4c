import { urnName } from "../../engine/state-sync.js";
import type { StackRecord } from "../record.js";
import { AZUREAD_TYPES } from "./convert.js";

export const AZUREAD_COMPONENT_TYPE = "rolecall:targets:AzureAd";

/** What the stack's last run left of the Entra ID target: for groups that change form, and accounts others disabled. */
export interface AzureAdPrevious {
  /** Groups already managed member by member (a GroupWithoutMembers in state): they stay so. */
  memberwise: ReadonlySet<string>;
  /** Inline groups: their object ID and the member object IDs the last refresh read. */
  inline: ReadonlyMap<string, { objectId: string; members: ReadonlySet<string> }>;
  /** Users' object IDs, by key. */
  users: ReadonlyMap<string, string>;
  /** Each DirectoryRoleAssignment the state holds, by name, with its inputs as last applied. */
  roleAssignments?: ReadonlyMap<string, AppliedRoleAssignment>;
  /** `accountEnabled` as the last refresh read it, by key: for the drift report only. */
  enabled?: ReadonlyMap<string, boolean>;
  /** The stack's record of the last apply (its `rolecall` output): whether rolecall itself enabled each account. */
  record?: Pick<StackRecord, "accounts">;
}

/** A DirectoryRoleAssignment's inputs as the state records them. */
export interface AppliedRoleAssignment {
  roleId: string;
  principalObjectId: string;
  directoryScopeId?: string;
}

interface StateResource {
  urn: string;
  type: string;
  parent?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}


/** The Entra ID part of an exported deployment (Automation API `exportStack`). Pure. */
export function azureAdPrevious(deployment: unknown, component = "azuread"): AzureAdPrevious {
  const resources = ((deployment as { deployment?: { resources?: StateResource[] } } | undefined)?.deployment?.resources ?? []) as StateResource[];
  const owner = resources.find((r) => r.type === AZUREAD_COMPONENT_TYPE && urnName(r.urn) === component);
  const memberwise = new Set<string>();
  const inline = new Map<string, { objectId: string; members: ReadonlySet<string> }>();
  const users = new Map<string, string>();
  const enabled = new Map<string, boolean>();
  const roleAssignments = new Map<string, AppliedRoleAssignment>();
  for (const r of resources) {
    if (!owner || r.parent !== owner.urn) continue;
    const objectId = typeof r.outputs?.objectId === "string" ? r.outputs.objectId : undefined;
    if (r.type === AZUREAD_TYPES.groupWithoutMembers) memberwise.add(urnName(r.urn));
    else if (r.type === AZUREAD_TYPES.group && objectId) {
      const members = Array.isArray(r.outputs?.members) ? (r.outputs.members as unknown[]).filter((m): m is string => typeof m === "string") : [];
      inline.set(urnName(r.urn), { objectId, members: new Set(members) });
    } else if (r.type === AZUREAD_TYPES.user && objectId) {
      users.set(urnName(r.urn), objectId);
      if (typeof r.outputs?.accountEnabled === "boolean") enabled.set(urnName(r.urn), r.outputs.accountEnabled);
    } else if (r.type === AZUREAD_TYPES.directoryRoleAssignment && typeof r.inputs?.roleId === "string" && typeof r.inputs.principalObjectId === "string") {
      const scope = r.inputs.directoryScopeId;
      roleAssignments.set(urnName(r.urn), { roleId: r.inputs.roleId, principalObjectId: r.inputs.principalObjectId, ...(typeof scope === "string" ? { directoryScopeId: scope } : {}) });
    }
  }
  return { memberwise, inline, users, enabled, roleAssignments };
}
