import { byString } from "../compile/order.js";
import type { Adoption, AdoptionDecision, AdoptionPlan, AttributeChange, Orphan } from "../model/adoption.js";
import type { DesiredState, DirectoryUser } from "../model/desired-state.js";
import type { Finding } from "../model/finding.js";
import type { ClassifiedAccount, InventoryDocument, LiveAccount, LiveDirectory, LiveItem } from "../model/inventory.js";
import type { Located } from "../model/person.js";
import type { OrphanPolicy } from "../model/policy.js";
import type { StackRecord } from "../targets/record.js";
import type { AdoptionFacts } from "../targets/target.js";
import { normalised } from "./correlate.js";


export interface AdoptionInput {
  inventory: InventoryDocument;
  /** The live read each target's inventory was classified from, by target name. */
  live: Readonly<Record<string, LiveDirectory>>;
  desired: DesiredState;
  record?: Pick<StackRecord, "accounts" | "holdings">;
  decisions: readonly Located<AdoptionDecision>[];
  orphans: Readonly<Record<string, OrphanPolicy>>;
  facts: Readonly<Record<string, AdoptionFacts>>;
}

const ORPHAN = "orphan";

/**
 * Decides, from the live inventory, what a run adopts and what it does with orphans. Linked
 * accounts (one HR match, not in the stack yet) are adopted into the identity the projection
 * declares; groups whose catalog key or displayName matches one declared group not yet in the
 * stack likewise. A disputed account is an error until adoption.yaml settles it; a decision
 * whose account changed since it was written is an error too. Orphans get policy's action
 * unless an exclusion pattern matches. Pure: the CLI reads the targets, this decides.
 */
export function decideAdoption(input: AdoptionInput): { plan: AdoptionPlan; findings: Finding[] } {
  const findings: Finding[] = [];
  const adoptions: Adoption[] = [];
  const orphans: Orphan[] = [];
  const used = new Set<AdoptionDecision>();
  for (const inventory of input.inventory.targets) {
    const target = inventory.target;
    const projection = (input.desired.targets as Record<string, { users: DirectoryUser[]; groups?: { key: string; displayName?: string }[] } | undefined>)[target];
    const declared = new Map((projection?.users ?? []).map((u) => [u.key, u]));
    const inState = input.record?.holdings[target] !== undefined ? new Set(Object.keys(input.record.accounts)) : new Set<string>();
    const live = new Map((input.live[target]?.accounts ?? []).map((a) => [a.id, a]));
    const decided = new Map(input.decisions.filter((d) => d.value.target === target).map((d) => [d.value.account, d]));
    const facts = input.facts[target] ?? {};
    const policy = input.orphans[target] ?? { action: "report" as const, exclude: [] };
    const taken = new Map<string, string>();

    const adopt = (account: ClassifiedAccount, key: string, because: string, at?: { file: string; line?: number }) => {
      const user = declared.get(key)!;
      const liveAccount = live.get(account.id);
      const changes = liveAccount ? accountChanges(liveAccount, user, facts.userName?.(user)) : [];
      const replaced = changes.filter((c) => (facts.replacesOn ?? []).includes(c.field as keyof DirectoryUser));
      if (replaced.length > 0) {
        findings.push({
          severity: "error",
          code: "adoption-replaces",
          message: `${target} account ${account.userName} (id ${account.id}) matches ${key}, but adopting it would replace it: ${replaced.map((c) => `${c.field} '${c.from ?? ""}' → '${c.to ?? ""}'`).join(", ")} cannot change in place`,
          ...(at ?? placeOf(input.desired, key)),
          // rolecall's value comes from the target's own rule (a login template, AWS's worker ID and userNameSuffix): naming it is what the user can act on.
          hint: `set the account's ${replaced.map((c) => `${c.field} to '${c.to ?? ""}'`).join(", ")} in ${target} first (the value rolecall declares), or change the stack setting or template rolecall derives it from; rolecall does not delete and recreate an existing account`,
        });
        return;
      }
      const other = taken.get(key);
      if (other !== undefined) {
        findings.push({
          severity: "error",
          code: "adoption-conflict",
          message: `${target} accounts ${other} and ${account.userName} would both be adopted as ${key}`,
          ...(at ?? placeOf(input.desired, key)),
          hint: `decide in adoption.yaml which one is ${key}'s and mark the other belongsTo: orphan`,
        });
        return;
      }
      taken.set(key, account.userName);
      const importId = facts.importId?.("account", account.id);
      adoptions.push({ target, kind: "account", key, id: account.id, name: account.userName, because, ...(importId ? { importId } : {}), changes });
    };
    const orphan = (account: ClassifiedAccount, because: string) => {
      const excluded = policy.exclude.find((p) => matchesPattern(p, account.userName));
      orphans.push({
        target,
        id: account.id,
        userName: account.userName,
        ...(account.externalId ? { externalId: account.externalId } : {}),
        action: excluded ? "report" : policy.action,
        because: excluded ? `${because}; excluded by pattern '${excluded}'` : because,
      });
    };

    for (const account of inventory.accounts) {
      const decision = decided.get(account.id);
      // A decision did its work once its account is rolecall's: it then says nothing about this run.
      if (decision && account.class === "managed") used.add(decision.value);
      else if (decision) {
        used.add(decision.value);
        const d = decision.value;
        if (normalised(d.userName) !== normalised(account.userName)) {
          findings.push({
            severity: "error",
            code: "adoption-decision-stale",
            message: `the decision for ${target} account ${d.account} names userName ${d.userName}, but the account is now ${account.userName}`,
            ...decision.at,
            hint: "run rolecall inventory, check the account again and correct the decision; a decision never applies to an account it was not written for",
          });
          continue;
        }
        if (d.belongsTo === ORPHAN) orphan(account, `decided in ${decision.at.file}:${decision.at.line ?? 1}: ${d.reason}`);
        else if (inState.has(d.belongsTo)) {
          findings.push({ severity: "error", code: "adoption-decision-invalid", message: `${d.belongsTo} already has a ${target} account rolecall manages; ${target} account ${account.userName} cannot be adopted as theirs too`, ...decision.at, hint: "mark the account belongsTo: orphan, or remove the decision" });
        } else if (!declared.has(d.belongsTo)) {
          findings.push({ severity: "error", code: "adoption-decision-invalid", message: `${d.belongsTo} has no ${target} account in the desired state, so ${target} account ${account.userName} cannot be adopted as theirs`, ...decision.at, hint: "name a worker ID or service-account key rolecall declares in this target, or belongsTo: orphan" });
        } else adopt(account, d.belongsTo, `decided in ${decision.at.file}:${decision.at.line ?? 1}: ${d.reason}`, decision.at);
        continue;
      }
      switch (account.class) {
        case "linked":
          if (!account.identity || !declared.has(account.identity) || inState.has(account.identity)) break;
          // Matched by email or login while its externalId names someone else: another tool's key, or another person's account.
          if (account.externalId !== undefined && normalised(account.externalId) !== normalised(account.identity)) {
            findings.push({
              severity: "error",
              code: "adoption-externalid-differs",
              message: `${target} account ${account.userName} (id ${account.id}) matches ${account.identity} by ${account.rule}, but its externalId is ${account.externalId}; rolecall does not take it over on a guess`,
              ...placeOf(input.desired, account.identity),
              hint: `if it is ${account.identity}'s account, add a decision to adoption.yaml: { target: ${target}, account: "${account.id}", userName: "${account.userName}", belongsTo: ${account.identity}, reason: … }; otherwise give one of them another login or remove the stale account`,
            });
            break;
          }
          adopt(account, account.identity, `matched by ${account.rule}`);
          break;
        case "disputed": {
          // Nothing could ever adopt or remove an account every candidate of which already has
          // a managed one here (a squatter on the login a rename needs): it is reported and left
          // alone, and the run goes on — refusing it would keep every leaver elsewhere enabled.
          const candidates = account.candidates ?? (account.identity ? [account.identity] : []);
          const inert = candidates.length > 0 && candidates.every((c) => inState.has(c));
          findings.push({
            severity: inert ? "warning" : "error",
            code: "disputed-account",
            message: `${target} account ${account.userName} (id ${account.id}) cannot be told apart: ${account.reason}; nothing adopts or removes it`,
            ...placeOf(input.desired, account.candidates?.[0] ?? account.identity),
            hint: `add a decision to adoption.yaml: { target: ${target}, account: "${account.id}", userName: "${account.userName}", belongsTo: <worker ID or orphan>, reason: … }, or set the account's externalId in ${target} to its worker ID`,
          });
          break;
        }
        case "orphan":
          orphan(account, account.reason);
          break;
        case "leaver-present":
          // Managed accounts of leavers are the engine's to delete; one outside the stack is nobody's to keep.
          if (!account.identity || !inState.has(account.identity)) orphan(account, account.reason);
          break;
        case "managed":
          break;
      }
    }
    adoptions.push(...groupAdoptions(target, projection?.groups ?? [], input.live[target]?.items ?? [], input.record, facts, findings));
  }
  for (const d of input.decisions) {
    if (used.has(d.value)) continue;
    const read = input.inventory.targets.some((t) => t.target === d.value.target);
    if (read) findings.push({ severity: "warning", code: "adoption-decision-unused", message: `no ${d.value.target} account has id ${d.value.account} any more; the decision settles nothing`, ...d.at, hint: "remove the decision once the account is gone" });
  }
  return {
    plan: { adoptions: adoptions.sort(byString((a) => `${a.target} ${a.kind} ${a.key}`)), orphans: orphans.sort(byString((o) => `${o.target} ${o.userName} ${o.id}`)) },
    findings,
  };
}

/** Declared groups not yet in the stack that one live group matches, by catalog key (externalId) or displayName. */
function groupAdoptions(
  target: string,
  groups: readonly { key: string; displayName?: string }[],
  items: readonly LiveItem[],
  record: AdoptionInput["record"],
  facts: AdoptionFacts,
  findings: Finding[],
): Adoption[] {
  const applied = record?.holdings[target] ?? {};
  const out: Adoption[] = [];
  for (const group of groups) {
    if (Object.keys(applied).some((item) => item.endsWith(`:${group.key}`))) continue;
    const byKey = items.filter((i) => i.kind === "group" && i.externalId !== undefined && normalised(i.externalId) === normalised(group.key));
    const byName = items.filter((i) => i.kind === "group" && group.displayName !== undefined && normalised(i.displayName) === normalised(group.displayName));
    const matches = byKey.length > 0 ? byKey : byName;
    if (matches.length === 0) continue;
    if (matches.length > 1) {
      findings.push({
        severity: "error",
        code: "disputed-group",
        message: `${target} has ${matches.length} groups catalog group ${group.key} could be (${matches.map((m) => `${m.displayName} id ${m.id}`).join(", ")})`,
        file: "catalog.yaml",
        hint: `set the externalId of the right group in ${target} to ${group.key}, or rename the others`,
      });
      continue;
    }
    const item = matches[0]!;
    const changes: AttributeChange[] = [];
    if (group.displayName !== undefined && item.displayName !== group.displayName) changes.push({ field: "displayName", from: item.displayName, to: group.displayName });
    if (item.externalId !== group.key) changes.push({ field: "externalId", ...(item.externalId ? { from: item.externalId } : {}), to: group.key });
    const importId = facts.importId?.("group", item.id);
    out.push({ target, kind: "group", key: group.key, id: item.id, name: item.displayName, because: byKey.length > 0 ? "matched by externalId" : "matched by displayName", ...(importId ? { importId } : {}), changes });
  }
  return out;
}

/** What adopting the live account changes on it: each attribute rolecall owns whose live value differs; `userName` is the target's own where it has one. */
export function accountChanges(live: LiveAccount, user: DirectoryUser, userName = user.userName): AttributeChange[] {
  const changes: AttributeChange[] = [];
  const compare = (field: string, from: string | undefined, to: string | undefined) => {
    if (from !== to) changes.push({ field, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
  };
  compare("userName", live.userName, userName);
  compare("externalId", live.externalId, user.externalId);
  const email = live.emails.find((e) => normalised(e) === normalised(user.email)) ?? live.emails[0];
  compare("email", email, user.email);
  if (live.displayName !== undefined) compare("displayName", live.displayName, user.displayName);
  if (live.active !== undefined) compare("active", String(live.active), String(user.active));
  return changes;
}

/** An exclusion pattern: `*` is any run of characters; everything else literal; case-insensitive, unicode-normalised. */
export function matchesPattern(pattern: string, value: string): boolean {
  const source = normalised(pattern).split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${source}$`, "su").test(normalised(value));
}

function placeOf(desired: DesiredState, key: string | undefined): { file: string; line?: number } {
  return desired.people.find((p) => p.id === key)?.source ?? { file: "hr/roster.csv" };
}
