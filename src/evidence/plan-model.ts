import { createHash } from "node:crypto";
import { orphanResourceName, type AdoptionPlan } from "../model/adoption.js";
import type { DesiredState, DirectoryUser, HeldRole, Holders, LossReason } from "../model/desired-state.js";
import type { AccessChange, PersonChange, PersonChangeKind, PlanDocument, PlanStep, Risk } from "../model/plan.js";
import { byString } from "../compile/order.js";
import { itemsOf } from "../compile/project.js";
import type { StackRecord } from "../targets/record.js";
import { ALL_TARGETS } from "../targets/registry.js";
import { harmsProtected } from "./protected.js";
import { changingSteps } from "./steps.js";

/** Account resource types per target: their steps are the account's own changes. */
export const ACCOUNT_TYPES: ReadonlySet<string> = new Set(ALL_TARGETS.map((t) => t.plan.accountType));

/** Resource types that carry policy's action on an orphan account, per target (targets' plan.orphanType). */
export const ORPHAN_TYPES: ReadonlySet<string> = new Set(ALL_TARGETS.flatMap((t) => (t.plan.orphanType ? [t.plan.orphanType] : [])));

/** Steps that take an existing object over: the provider adopts the id on create (SCIM), or the engine imports it. */
const ADOPTING_OPS: ReadonlySet<string> = new Set(["create", "import"]);

/** Steps of an orphan resource that act on the account (a delete only forgets it). */
const ORPHAN_ACTING_OPS: ReadonlySet<string> = new Set(["create", "update", "replace"]);

/** The fields whose change enables or disables an account, per target. */
const ENABLED_FIELDS = new Map(ALL_TARGETS.map((t) => [t.name, t.plan.enabledFields]));

/** A loss compile did not see: the desired state was compiled against another record than this plan's. */
const UNRECORDED: LossReason[] = [{ kind: "no-longer-earned" }];

export type PlanCore = Omit<PlanDocument, "$schema" | "schemaVersion" | "manifest" | "guardrails">;

/**
 * The plan, read as an auditor reads it: for each identity, what happens to its accounts and
 * what access it gains (with the roles and reasons that earn it) or loses (and why). Gains
 * and losses compare the previous stack record (what was applied) with the desired state;
 * account changes come from the engine's steps, every one of which is kept.
 */
export function buildPlan(
  steps: PlanStep[],
  desired: DesiredState,
  previous: StackRecord | undefined,
  targets: readonly string[],
  counts?: Record<string, number>,
  adoption?: AdoptionPlan,
  names: ReadonlyMap<string, string> = new Map(),
): PlanCore {
  const changing = changingSteps(steps);
  const adoptedAccounts = new Set((adoption?.adoptions ?? []).filter((a) => a.kind === "account").map((a) => `${a.target}|${a.key}`));
  const people = new Map(desired.people.map((p) => [p.id, p]));
  const serviceAccounts = new Map(desired.serviceAccounts.map((s) => [s.id, s]));
  const users = new Map<string, DirectoryUser>();
  const heldBy = new Map<string, HeldRole[]>([
    ...desired.people.map((p): [string, HeldRole[]] => [p.id, p.roles]),
  ]);
  const now = new Map<string, Map<string, Holders[number]>>();
  for (const target of targets) {
    const projection = desired.targets[target as keyof DesiredState["targets"]];
    if (!projection) continue;
    for (const u of projection.users) {
      users.set(u.key, u);
      if (u.serviceAccount) heldBy.set(u.key, serviceAccounts.get(u.serviceAccount)?.roles ?? []);
    }
    for (const [item, holders] of itemsOf(projection)) now.set(`${target}|${item}`, new Map(holders.map((h) => [h.user, h])));
  }
  const before = new Map<string, Set<string>>();
  for (const [target, items] of Object.entries(previous?.holdings ?? {})) {
    for (const [item, holders] of Object.entries(items)) before.set(`${target}|${item}`, new Set(holders));
  }
  forgetWhatIsRecreated(before, changing);

  // Compile explained every loss against the same record; the plan only looks them up.
  const lostBecause = new Map(desired.losses.map((l) => [`${l.user}|${l.target}|${l.item}`, l.reasons]));

  const changes = new Map<string, { gains: AccessChange[]; losses: AccessChange[]; account: PersonChange["account"] }>();
  const entry = (key: string) => {
    let e = changes.get(key);
    if (!e) changes.set(key, (e = { gains: [], losses: [], account: [] }));
    return e;
  };
  for (const key of new Set([...now.keys(), ...before.keys()])) {
    const [target, item] = key.split("|") as [string, string];
    const [kind, catalogKey] = item.split(":") as [string, string];
    const had = before.get(key) ?? new Set<string>();
    const has = now.get(key) ?? new Map<string, Holders[number]>();
    for (const [user, holder] of has) {
      if (had.has(user)) continue;
      const because = (heldBy.get(user) ?? []).filter((h) => holder.because.includes(h.role));
      entry(user).gains.push({ target, kind, item: catalogKey, because });
    }
    for (const user of had) if (!has.has(user)) entry(user).losses.push({ target, kind, item: catalogKey, because: [], lost: lostBecause.get(`${user}|${key}`) ?? UNRECORDED });
  }
  for (const step of changing.filter((s) => ACCOUNT_TYPES.has(s.type))) {
    entry(step.name).account.push({ target: step.target, op: step.op, changed: step.diffs });
  }

  const risks: Risk[] = [];
  const personChanges: PersonChange[] = [...changes]
    .map(([id, c]) => {
      const person = people.get(id);
      const user = users.get(id);
      const was = previous?.accounts[id];
      const change = c.account.some((a) => ADOPTING_OPS.has(a.op) && adoptedAccounts.has(`${a.target}|${id}`)) ? "adopted" : kindOf(c, person?.state, user);
      const privileged = c.gains.filter((g) => g.because.some((b: HeldRole) => b.privileged));
      const personRisks = [
        ...privileged.map((g) => `privileged: gains ${g.target} ${g.kind} ${g.item} through ${g.because.filter((b) => b.privileged).map((b) => b.role).join(", ")}`),
        ...((user?.protected ?? was?.protected) ? harmsProtected({ change, ...c }).map((h) => `protected account: ${h}`) : []),
      ];
      for (const r of privileged) risks.push({ code: "privileged-grant", subject: id, message: `${id} gains privileged ${r.target} ${r.kind} ${r.item}` });
      const harms = personRisks.filter((r) => r.startsWith("protected account: "));
      if (harms.length > 0) risks.push({ code: "protected-account", subject: id, message: `protected account ${id}: ${harms.map((h) => h.slice("protected account: ".length)).join("; ")}` });
      const sa = user?.serviceAccount ? serviceAccounts.get(user.serviceAccount) : undefined;
      const state: PersonChange["state"] = person?.state ?? (user ? "active" : "removed");
      return {
        id,
        kind: (user?.kind ?? was?.kind ?? "person") as PersonChange["kind"],
        displayName: user?.displayName ?? was?.displayName ?? id,
        email: user?.email ?? was?.email ?? "",
        state,
        stateReason: person?.stateReason ?? sa?.reason ?? (user ? "declared" : removedReason(id, desired)),
        change,
        account: c.account.sort(byString((a) => a.target)),
        gains: c.gains.sort(byString((g) => `${g.target} ${g.kind} ${g.item}`)),
        losses: c.losses.sort(byString((g) => `${g.target} ${g.kind} ${g.item}`)),
        risks: personRisks,
      };
    })
    .sort(byString((p) => p.id));

  // A provider's own step (its configuration changed) is rolecall's doing, not the target's drift.
  const groupSteps = changing.filter((s) => !ACCOUNT_TYPES.has(s.type) && !ORPHAN_TYPES.has(s.type) && s.target !== "" && !s.type.startsWith("pulumi:providers:"));
  const groups = [...new Set([...now.keys(), ...before.keys()])]
    .map((key) => {
      const [target, item] = key.split("|") as [string, string];
      const had = before.get(key) ?? new Set<string>();
      const has = new Set(now.get(key)?.keys() ?? []);
      const op = !before.has(key) ? "create" : !now.has(key) ? "delete" : "update";
      return { target, key: item, op, added: [...has].filter((u) => !had.has(u)).sort(), removed: [...had].filter((u) => !has.has(u)).sort() };
    })
    .filter((g) => g.op !== "update" || g.added.length > 0 || g.removed.length > 0)
    .sort(byString((g) => `${g.target} ${g.key}`));
  // A group step with no change in who holds it means the target drifted from what was applied.
  const changedItems = new Set(groups.map((g) => `${g.target}|${g.key.split(":")[1]}`));
  const drift: PlanStep[] = [];
  for (const s of groupSteps) {
    if (s.op !== "update" || previous === undefined) continue;
    const named = s.members ? namedDrift(s, groups, names) : undefined;
    if (named) {
      if (named.length === 0 && changedItems.has(`${s.target}|${s.name}`)) continue;
      drift.push(s);
      const others = s.diffs.filter((d) => d !== s.members!.field);
      // Each part says what the apply does about it, so the sentence never says it twice.
      const what = [...named, ...(others.length ? [`${others.join(", ")} changed (the apply puts ${others.length === 1 ? "it" : "them"} back)`] : [])];
      if (what.length === 0) what.push(`${s.members!.field} differ (the apply puts them back)`);
      risks.push({ code: "drift", subject: s.urn, message: `${s.target} ${s.name} differs from what was applied: ${what.join("; ")}` });
    } else if (!changedItems.has(`${s.target}|${s.name}`)) {
      drift.push(s);
      risks.push({ code: "drift", subject: s.urn, message: `${s.target} ${s.name} differs from what was applied (${s.diffs.join(", ")}); the apply puts it back` });
    }
  }

  const stepOf = (target: string, type: (t: string) => boolean, name: string) => changing.find((s) => s.target === target && type(s.type) && s.name === name)?.op ?? "none";
  const adoptions = (adoption?.adoptions ?? []).map((a) => ({ ...a, op: stepOf(a.target, (t) => (a.kind === "account" ? ACCOUNT_TYPES.has(t) : !ACCOUNT_TYPES.has(t)), a.key) }));
  const orphans = (adoption?.orphans ?? []).map((o) => ({ ...o, op: o.action === "report" ? "none" : stepOf(o.target, (t) => ORPHAN_TYPES.has(t), orphanResourceName(o.id)) }));
  const acting = (action: string) => orphans.filter((o) => o.action === action && ORPHAN_ACTING_OPS.has(o.op)).length;

  const count = (k: PersonChangeKind) => personChanges.filter((p) => p.change === k && p.kind === "person").length;
  // The engine's count of every step (same ones included) when the steps kept are fewer.
  const stepCounts: Record<string, number> = counts ? { ...counts } : {};
  if (!counts) for (const s of steps) stepCounts[s.op] = (stepCounts[s.op] ?? 0) + 1;
  return {
    digest: planDigest(changing, personChanges),
    summary: {
      joiners: count("joiner"),
      movers: count("mover"),
      leavers: count("leaver"),
      disabled: count("disabled"),
      enabled: count("enabled"),
      updated: count("updated"),
      serviceAccounts: personChanges.filter((p) => p.kind === "service-account").length,
      groupChanges: groups.length,
      driftCorrections: drift.length,
      adopted: adoptions.filter((a) => ADOPTING_OPS.has(a.op)).length,
      orphansDisabled: acting("disable"),
      orphansRemoved: acting("remove"),
      steps: stepCounts,
    },
    people: personChanges,
    groups,
    adoptions,
    orphans,
    risks,
    findings: desired.findings,
    steps,
  };
}

/**
 * Who was added to or removed from a membership list behind rolecall's back, by name: the ids
 * the step removes (held live, not declared) and adds (declared, not held live), less what the
 * plan changes on purpose (a person's gain or loss). `names` maps target ids to identity keys
 * (resources of the run) or live userNames (the inventory); an id no one knows stays an id.
 */
function namedDrift(step: PlanStep, groups: PlanCore["groups"], names: ReadonlyMap<string, string>): string[] {
  const intended = new Set<string>();
  for (const g of groups.filter((x) => x.target === step.target)) {
    const item = g.key.split(":")[1] ?? g.key;
    for (const u of [...g.added, ...g.removed]) intended.add(`${u}|${item}`).add(`${item}|${u}`);
  }
  const name = (id: string) => names.get(id) ?? id;
  const unexpected = (ids: readonly string[]) => ids.map(name).filter((n) => !intended.has(`${n}|${step.name}`));
  const byHand = unexpected(step.members!.removed);
  const gone = unexpected(step.members!.added);
  return [
    ...(byHand.length ? [`${byHand.join(", ")} added to it by hand (the apply removes ${byHand.length === 1 ? "it" : "them"})`] : []),
    ...(gone.length ? [`${gone.join(", ")} removed from it by hand (the apply adds ${gone.length === 1 ? "it" : "them"} back)`] : []),
  ];
}

/**
 * What apply must reproduce: the changing steps (resource, operation, changed properties, new
 * input values) and the access each identity gains and loses. Two previews with the same
 * digest do the same.
 */
export function planDigest(changing: PlanStep[], people: PersonChange[]): string {
  const canonical = {
    steps: changing.map((s) => [s.urn, s.op, s.diffs, s.inputsSha256 ?? ""]).sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
    access: people.map((p) => [p.id, p.gains.map((g) => `${g.target}:${g.kind}:${g.item}`), p.losses.map((l) => `${l.target}:${l.kind}:${l.item}`)]),
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

function kindOf(c: { gains: AccessChange[]; losses: AccessChange[]; account: PersonChange["account"] }, state: string | undefined, user: DirectoryUser | undefined): PersonChangeKind {
  const ops = new Set(c.account.map((a) => a.op));
  if (ops.has("create") && !ops.has("delete")) return "joiner";
  if (ops.has("delete") || state === "leaver") return "leaver";
  const activeChanged = c.account.some((a) => (ENABLED_FIELDS.get(a.target) ?? []).some((field) => a.changed.includes(field)));
  if (activeChanged) return user?.active ? "enabled" : "disabled";
  if (c.gains.length > 0 || c.losses.length > 0) return "mover";
  return "updated";
}

/**
 * The record says what the last apply gave; the refreshed state can know better. An account or
 * item the engine is about to create (again) holds nothing and is held by no one today —
 * whatever the record says, because a target wiped or an object deleted behind rolecall's back
 * took it all away. Those holdings are gains again, privileged-grant risks included.
 */
function forgetWhatIsRecreated(before: Map<string, Set<string>>, changing: readonly PlanStep[]): void {
  for (const step of changing) {
    if (step.op !== "create" && step.op !== "replace" && step.op !== "create-replacement") continue;
    if (ACCOUNT_TYPES.has(step.type)) {
      for (const [key, holders] of before) if (key.startsWith(`${step.target}|`)) holders.delete(step.name);
    } else {
      for (const key of before.keys()) if (key.startsWith(`${step.target}|`) && key.endsWith(`:${step.name}`)) before.delete(key);
    }
  }
}

function removedReason(id: string, desired: DesiredState): string {
  const sa = desired.serviceAccounts.find((s) => !s.declared && s.key === id);
  return sa ? `service account no longer declared: ${sa.reason}` : "no longer in the HR roster";
}
