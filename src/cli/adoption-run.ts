import path from "node:path";
import { decideAdoption } from "../inventory/adoption.js";
import { readAdoptionFile } from "../load/adoption-file.js";
import { byString } from "../compile/order.js";
import type { AdoptionPlan, MembershipAdoption } from "../model/adoption.js";
import type { DesiredState } from "../model/desired-state.js";
import type { Finding } from "../model/finding.js";
import type { InventoryDocument, LiveDirectory } from "../model/inventory.js";
import type { StackRecord } from "../targets/record.js";
import { ALL_TARGETS } from "../targets/registry.js";
import type { AdoptionFacts } from "../targets/target.js";
import { inventoryOf } from "./commands/inventory.js";
import type { StackRun } from "./stack-run.js";

export interface AdoptionRun {
  inventory: InventoryDocument;
  adoption: AdoptionPlan;
  /** Disputed accounts nothing settles, stale or invalid decisions: errors refuse the run. Paths are under the project. */
  findings: Finding[];
}

/**
 * Reads the stack's targets live and decides what the run adopts and does with orphans,
 * from the inventory, adoption.yaml and policy.orphans: the input declare takes next to the
 * stack's record.
 */
export async function decideAdoptionFor(run: StackRun, projectDir: string, opts: { forApply?: boolean } = {}): Promise<AdoptionRun> {
  const { document, live: read } = await inventoryOf(run, projectDir);
  const live = Object.fromEntries(read.map((r) => [r.target, r.directory]));
  const dir = path.resolve(projectDir, run.settings.desiredState);
  const file = await readAdoptionFile(dir, run.policy.limits.maxFileBytes);
  const facts = adoptionFacts(run.settings.targets as Readonly<Record<string, unknown>>);
  const decided = decideAdoption({
    inventory: document,
    live,
    desired: run.desired,
    record: run.outputs.rolecall as StackRecord | undefined,
    decisions: file.decisions,
    orphans: run.policy.orphans,
    facts,
  });
  const held = adoptedMemberships(decided.plan, document, live, run.desired, run.settings.targets as Readonly<Record<string, unknown>>);
  const adoption = { ...decided.plan, memberships: held.memberships };
  const findings = [...file.findings, ...decided.findings, ...held.findings, ...(opts.forApply ? unsupported(decided.plan, run) : [])].map((f) => (f.file ? { ...f, file: path.join(run.settings.desiredState, f.file) } : f));
  return { inventory: document, adoption, findings };
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
 * The memberships each adopted group already holds for its declared members, in targets where
 * adding a member again fails (Entra ID, Identity Center): the engine imports them. A member's
 * live account is the one adopted for it this run, or the one the stack manages. A membership
 * whose import ID the live read cannot give refuses the run: creating it would fail.
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
  for (const a of plan.adoptions) {
    const importId = ALL_TARGETS.find((t) => t.name === a.target)?.adoption?.membershipImportId;
    if (a.kind !== "group" || !importId) continue;
    const group = live[a.target]?.items.find((i) => i.kind === "group" && i.id === a.id);
    const declared = (desired.targets as Record<string, { groups?: { key: string; members: { user: string }[] }[] } | undefined>)[a.target]?.groups?.find((g) => g.key === a.key);
    if (!group || !declared) continue;
    const accounts = inventory.targets.find((t) => t.target === a.target)?.accounts ?? [];
    const liveIdOf = (key: string) =>
      plan.adoptions.find((b) => b.target === a.target && b.kind === "account" && b.key === key)?.id ?? accounts.find((c) => c.class === "managed" && c.identity === key)?.id;
    const held = new Set(group.members);
    for (const { user } of declared.members) {
      const id = liveIdOf(user);
      if (id === undefined || !held.has(id)) continue;
      const membership = importId(group, id, settings[a.target]);
      if (membership) memberships.push({ target: a.target, group: a.key, member: user, importId: membership });
      else {
        findings.push({
          severity: "error",
          code: "adoption-membership-unknown",
          message: `${a.target} group ${a.name} (id ${a.id}), adopted as ${a.key}, already holds ${user} (account ${id}), but the live read gave no id of that membership to import; adding the member again would fail`,
          file: "catalog.yaml",
          hint: `run rolecall inventory again; if it persists, remove ${user} from the group in ${a.target} before the first apply`,
        });
      }
    }
  }
  return { memberships: memberships.sort(byString((m) => `${m.target} ${m.group} ${m.member}`)), findings };
}

/**
 * An existing account or group in a target that cannot adopt yet: its create would fail on the
 * taken name or make a duplicate, so the plan is refused, naming the account and the fix.
 */
function unsupported(plan: AdoptionPlan, run: StackRun): Finding[] {
  return plan.adoptions.flatMap((a): Finding[] => {
    if (ALL_TARGETS.find((t) => t.name === a.target)?.adoption) return [];
    const at = run.desired.people.find((p) => p.id === a.key)?.source ?? { file: a.kind === "group" ? "catalog.yaml" : "hr/roster.csv" };
    return [
      {
        severity: "error",
        code: "adoption-unsupported",
        message: `${a.target} already holds ${a.kind} ${a.name} (id ${a.id}) for ${a.key} (${a.because}), and rolecall cannot adopt into ${a.target} yet: creating it would fail or duplicate it`,
        ...at,
        hint: `remove or rename the existing ${a.kind} in ${a.target}, or leave ${a.target} off this stack until it can adopt`,
      },
    ];
  });
}
