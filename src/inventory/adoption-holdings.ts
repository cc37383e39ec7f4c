import { byString } from "../compile/order.js";
import type { AdoptionPlan, MembershipAdoption } from "../model/adoption.js";
import type { DesiredState, DirectoryUser } from "../model/desired-state.js";
import type { Finding } from "../model/finding.js";
import type { InventoryDocument, LiveDirectory } from "../model/inventory.js";
import { ALL_TARGETS } from "../targets/registry.js";
import type { AdoptionFacts } from "../targets/target.js";
import { entriesOfItem, type ProjectionEntry } from "./correlate.js";

/**
 * What the targets' declarations add to the decided adoption: the holdings already live for
 * adopted accounts and groups (imported), and adoption changes only of what the target sets
 * (`Target.adoption.sets`: AWS has no status to set, a deactivated Okta account takes no
 * profile change), so the plan does not list a change that does not land.
 */
export function completeAdoption(
  plan: AdoptionPlan,
  inventory: InventoryDocument,
  live: Readonly<Record<string, LiveDirectory>>,
  desired: DesiredState,
  settings: Readonly<Record<string, unknown>>,
): { plan: AdoptionPlan; findings: Finding[] } {
  const held = adoptedMemberships(plan, inventory, live, desired, settings);
  const adoptions = plan.adoptions.map((a) => {
    const sets = ALL_TARGETS.find((t) => t.name === a.target)?.adoption?.sets;
    const user = (desired.targets as Record<string, { users: DirectoryUser[] } | undefined>)[a.target]?.users.find((u) => u.key === a.key);
    return a.kind === "account" && sets && user ? { ...a, changes: a.changes.filter((c) => sets(c.field, user)) } : a;
  });
  return { plan: { ...plan, adoptions, memberships: held.memberships }, findings: held.findings };
}

/** Each stack target's adoption facts, its import IDs bound to the stack's settings for it. */
export function adoptionFacts(settings: Readonly<Record<string, unknown>>): Record<string, AdoptionFacts> {
  return Object.fromEntries(
    ALL_TARGETS.flatMap((t): [string, AdoptionFacts][] => {
      const adoption = t.adoption;
      if (!adoption || !(t.name in settings)) return [];
      const { importId, userName, replacesOn } = adoption;
      const of = settings[t.name];
      return [
        [
          t.name,
          {
            ...(replacesOn ? { replacesOn } : {}),
            ...(importId ? { importId: (kind, id) => importId(kind, id, of) } : {}),
            ...(userName ? { userName: (user) => userName(user, of) } : {}),
          },
        ],
      ];
    }),
  );
}

/**
 * The holdings already live for the accounts and groups a run adopts, in targets where adding
 * one again fails (Entra ID group members and role assignments, Identity Center memberships):
 * the engine imports them. A pair counts when the item or the holder is adopted this run (so
 * it cannot be in the state yet), the projection declares it, and the live item holds the
 * holder's live account — the one adopted for it, or the one the stack manages. The live item
 * of an adopted group is that group; of another entry, the one live item it matches as the
 * inventory matches them (liveId, externalId, displayName). A holding whose import ID the live
 * read cannot give, or an entry several live items could be, refuses the run: creating it would fail.
 */
export function adoptedMemberships(
  plan: AdoptionPlan,
  inventory: InventoryDocument,
  live: Readonly<Record<string, LiveDirectory>>,
  desired: DesiredState,
  settings: Readonly<Record<string, unknown>>,
): { memberships: MembershipAdoption[]; findings: Finding[] } {
  const memberships: MembershipAdoption[] = [];
  const findings: Finding[] = [];
  for (const target of ALL_TARGETS) {
    const importId = target.adoption?.membershipImportId;
    const adopted = plan.adoptions.filter((a) => a.target === target.name);
    if (!importId || adopted.length === 0) continue;
    const accounts = inventory.targets.find((t) => t.target === target.name)?.accounts ?? [];
    const liveIdOf = (key: string) => adopted.find((a) => a.kind === "account" && a.key === key)?.id ?? accounts.find((c) => c.class === "managed" && c.identity === key)?.id;
    const adoptedAccounts = new Set(adopted.filter((a) => a.kind === "account").map((a) => a.key));
    const adoptedGroups = new Map(adopted.filter((a) => a.kind === "group").map((a) => [a.key, a.id]));
    const projection = (desired.targets as Record<string, Record<string, ProjectionEntry[]> | undefined>)[target.name] ?? {};
    const items = live[target.name]?.items ?? [];
    for (const held of target.held) {
      const entries = projection[held.field] ?? [];
      for (const entry of entries) {
        const holders = entry.members.map((m) => m.user).filter((user) => adoptedAccounts.has(user) || (held.kind === "group" && adoptedGroups.has(entry.key)));
        if (holders.length === 0) continue;
        const groupId = held.kind === "group" ? adoptedGroups.get(entry.key) : undefined;
        const candidates = groupId !== undefined ? items.filter((i) => i.kind === "group" && i.id === groupId) : items.filter((i) => i.kind === held.kind && entriesOfItem(held, entries, i).includes(entry));
        for (const user of holders) {
          const id = liveIdOf(user);
          const holding = id === undefined ? [] : candidates.filter((i) => i.members.includes(id));
          if (holding.length === 0) continue;
          const membership = holding.length === 1 ? importId(holding[0]!, id!, settings[target.name]) : undefined;
          if (membership) memberships.push({ target: target.name, kind: held.kind, item: entry.key, member: user, importId: membership });
          else {
            findings.push({
              severity: "error",
              code: "adoption-membership-unknown",
              message:
                holding.length > 1
                  ? `${target.name} has ${holding.length} ${held.kind}s that ${entry.key} could be (${holding.map((i) => `${i.displayName} id ${i.id}`).join(", ")}), each holding ${user} (account ${id}): which holding to import is not known`
                  : `${target.name} ${held.kind} ${holding[0]!.displayName} (id ${holding[0]!.id}), declared as ${entry.key}, already holds ${user} (account ${id}), but the live read gave no id of that holding to import; adding it again would fail`,
              file: "catalog.yaml",
              hint: holding.length > 1 ? `rename or remove the other ${held.kind}s in ${target.name}` : `run rolecall inventory again; if it persists, remove ${user} from it in ${target.name} before the first apply`,
            });
          }
        }
      }
    }
  }
  return { memberships: memberships.sort(byString((m) => `${m.target} ${m.kind} ${m.item} ${m.member}`)), findings };
}
