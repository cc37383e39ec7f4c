import type { EngineEvent, OpType } from "@pulumi/pulumi/automation/index.js";
import type { DesiredState } from "../model/desired-state.js";
import { byString } from "../compile/order.js";

export type UserOp = "create" | "update" | "delete" | "replace";

export interface UserChange {
  op: UserOp;
  workerId: string;
  userName: string;
  /** Properties that change (updates only). */
  changed: string[];
}

export interface MembershipChange {
  op: "add" | "remove";
  group: string;
  workerId: string;
}

export interface PlannedChanges {
  users: UserChange[];
  memberships: MembershipChange[];
  groups: { op: UserOp; key: string }[];
}

const USER_TYPE = "rolecall-scim:index:User";
const GROUP_TYPE = "rolecall-scim:index:Group";

/**
 * What an engine run changes, in people: user accounts added, changed and removed, and
 * group memberships gained and lost. Memberships are read as worker IDs on both sides —
 * the deployed side through the users' recorded outputs, the desired side from the
 * DesiredState — because SCIM ids of users not yet created are unknown at preview time.
 */
export function changesFromEvents(events: readonly EngineEvent[], desired: DesiredState): PlannedChanges {
  const steps = events.flatMap((e) => (e.resourcePreEvent ? [e.resourcePreEvent.metadata] : []));
  const workerOfId = new Map<string, string>();
  for (const step of steps) {
    if (step.type !== USER_TYPE) continue;
    for (const state of [step.old, step.new]) {
      const outputs = state?.outputs as { scimId?: string; externalId?: string } | undefined;
      if (outputs?.scimId && outputs.externalId) workerOfId.set(outputs.scimId, outputs.externalId);
    }
  }

  const users: UserChange[] = [];
  const groups: PlannedChanges["groups"] = [];
  const memberships: MembershipChange[] = [];
  const desiredMembers = new Map((desired.targets.scim?.groups ?? []).map((g) => [g.key, g.members.map((m) => m.user)]));
  for (const step of steps) {
    const op = userOp(step.op);
    const name = step.urn.split("::").pop() ?? step.urn;
    if (step.type === USER_TYPE && op) {
      const inputs = (step.new ?? step.old)?.inputs as { userName?: string } | undefined;
      users.push({ op, workerId: name, userName: inputs?.userName ?? "", changed: op === "update" ? [...(step.diffs ?? [])].sort() : [] });
    }
    if (step.type !== GROUP_TYPE) continue;
    if (op) groups.push({ op, key: name });
    const before = new Set(((step.old?.inputs as { members?: string[] } | undefined)?.members ?? []).map((id) => workerOfId.get(id) ?? id));
    const after = new Set(step.op === "delete" ? [] : (desiredMembers.get(name) ?? []));
    for (const w of after) if (!before.has(w)) memberships.push({ op: "add", group: name, workerId: w });
    for (const w of before) if (!after.has(w)) memberships.push({ op: "remove", group: name, workerId: w });
  }
  return {
    users: users.sort(byString((u) => u.workerId)),
    groups: groups.sort(byString((g) => g.key)),
    memberships: memberships.sort(byString((m) => `${m.workerId} ${m.group} ${m.op}`)),
  };
}

function userOp(op: OpType): UserOp | undefined {
  switch (op) {
    case "create":
    case "update":
    case "delete":
      return op;
    // A replacement is three steps (create-replacement, replace, delete-replaced); count it once.
    case "replace":
      return "replace";
    default:
      return undefined;
  }
}
