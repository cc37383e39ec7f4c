import type { HeldRole, Reason } from "../model/desired-state.js";
import type { Grant } from "../model/grant.js";
import type { Located } from "../model/person.js";
import type { Rule } from "../model/rule.js";
import type { WorkerAttributes } from "./attributes.js";
import { compileCondition, namedValues, type Attributes, type Matched, type Matcher } from "./conditions.js";
import { byString } from "./order.js";
import type { RoleIndex } from "./roles.js";
import { indexRules } from "./rule-index.js";

/** Roles gathered for one identity, each with every distinct reason, includes expanded. */
export class HeldRoles {
  private readonly held = new Map<string, Reason[]>();

  constructor(private readonly roles: RoleIndex) {}

  /** Gives a role and everything it includes; unknown roles are already an error finding. */
  give(direct: string, reason: Reason): void {
    if (!this.roles.byId.has(direct)) return;
    for (const { role, reason: included } of this.roles.closure(direct)) {
      const r = included ?? reason;
      const reasons = this.held.get(role);
      if (!reasons) this.held.set(role, [r]);
      else if (!reasons.some((existing) => sameReason(existing, r))) reasons.push(r);
    }
  }

  list(): HeldRole[] {
    return [...this.held]
      .map(([role, reasons]) => ({ role, privileged: this.roles.byId.get(role)!.value.privileged, reasons }))
      .sort(byString((h) => h.role));
  }
}

/** A rule with its condition compiled once. */
export interface CompiledRule {
  rule: Rule;
  match: Matcher;
  reasons: Map<Matched, Reason>;
}

export interface CompiledRules {
  list: CompiledRule[];
  /** Indexes into `list` of the rules that may match these attributes, in file order. */
  candidates: (attributes: Attributes) => number[];
  /**
   * Work shared between people. Whether a rule matches depends only on the attributes the
   * rules name, so people alike in those (and in the grants they hold) hold the very same
   * roles, and share one list of them: at 100,000 people, 3 million role assignments are a
   * few thousand distinct lists.
   */
  shared: {
    /**
     * Every attribute a rule names, with a number (from 1) for every value some rule compares it
     * with; in a fixed order: those a management chain decides (CHAIN_DECIDED) first, then by name.
     */
    tested: readonly { name: string; codes: ReadonlyMap<string | boolean, number> }[];
    /** How many of `tested`, from the first, are decided by the management chain. */
    chainLevels: number;
    /**
     * The trie node past those levels, by chain. A chain is the org chart's array, shared by one
     * manager's reports, so each of them after the first skips those levels. A non-empty chain
     * decides the managerId too: it is the chain's first link, the nearest manager. (An empty one
     * does not: a cycle's walk may stop at once, for someone who is their own manager.)
     */
    afterChain: Map<readonly string[], AttributesTrie>;
    /** A number for each management chain, equal for chains alike in the managers rules name (chains are shared by a manager's reports). */
    chainIds: Map<readonly string[], number>;
    /** The numbers of those distinct chains, by the named managers in them. */
    chainIdsByKey: Map<string, number>;
    /** Held roles by the tested attributes' values (as far as rules tell them apart), one level per attribute, then by the grants. */
    byAttributes: AttributesTrie;
    /** Held roles by the reasons that earned them (people whose other attributes differ). */
    byReasons: Map<string, HeldRole[]>;
    /** A small number for each reason object, to key byReasons. */
    ids: Map<Reason, number>;
    /** One reason object per grant. */
    grantReasons: Map<Grant, Reason>;
  };
}

/**
 * Numbers rather than one string key per person: a string built piece by piece must be
 * flattened and hashed on every lookup, small numbers in small maps need neither.
 */
interface AttributesTrie {
  next: Map<number, AttributesTrie>;
  /** At a leaf: the held roles of the people here who hold no grant, then of those who do, by their grants. */
  withoutGrants?: HeldRole[];
  byGrants?: Map<string, HeldRole[]>;
}

export function compileRules(rules: Located<Rule>[]): CompiledRules {
  const named = new Map<string, Set<string | boolean>>();
  for (const r of rules) namedValues(r.value.when, named);
  const rank = (name: string) => (CHAIN_DECIDED.includes(name) ? CHAIN_DECIDED.indexOf(name) : CHAIN_DECIDED.length);
  const tested = [...named]
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, values]) => ({ name, codes: new Map([...values].map((v, i) => [v, i + 1])) }));
  return {
    list: rules.map(({ value: rule }) => ({ rule, match: compileCondition(rule.when), reasons: new Map() })),
    candidates: indexRules(rules.map((r) => r.value.when)),
    shared: {
      tested,
      chainLevels: tested.filter(({ name }) => CHAIN_DECIDED.includes(name)).length,
      afterChain: new Map(),
      chainIds: new Map(),
      chainIdsByKey: new Map(),
      byAttributes: { next: new Map() }, byReasons: new Map(), ids: new Map(), grantReasons: new Map(),
    },
  };
}

/**
 * The roles one entitled person holds: from the rules that match their attributes and the
 * grants in force for them, with the reasons that earned each. The list returned may be
 * shared with other people: it is never to be changed.
 */
export function rolesFor(attributes: WorkerAttributes, rules: CompiledRules, grants: readonly Located<Grant>[], roles: RoleIndex): HeldRole[] {
  const shared = rules.shared;
  const node = attributesNode(attributes, shared);
  // Most people hold no grant: their list is on the node itself, with no key to make or look up.
  if (grants.length === 0 && node.withoutGrants) return node.withoutGrants;
  const grantReasons = grants.map(({ value: grant }) => {
    let reason = shared.grantReasons.get(grant);
    if (!reason) shared.grantReasons.set(grant, (reason = { kind: "grant", grant: grant.id, expires: grant.expires, ...(grant.ticket ? { ticket: grant.ticket } : {}) }));
    return reason;
  });
  const grantKey = grantReasons.length === 0 ? "" : grantReasons.map((r) => idOf(shared.ids, r)).join(",");
  const byGrants = grantKey === "" ? undefined : (node.byGrants ??= new Map());
  const known = byGrants?.get(grantKey);
  if (known) return known;

  const earned: [Reason, readonly string[]][] = [];
  let reasonsKey = "";
  const record = attributes.all();
  for (const i of rules.candidates(record)) {
    const { rule, match, reasons } = rules.list[i]!;
    const matched = match(record);
    if (!matched) continue;
    // One reason object per distinct match, shared by everyone it applies to.
    let reason = reasons.get(matched);
    if (!reason) reasons.set(matched, (reason = { kind: "rule", rule: rule.id, matched }));
    earned.push([reason, rule.assign]);
    reasonsKey += `${idOf(shared.ids, reason)},`;
  }
  reasonsKey += `\u0003${grantKey}`;
  let list = shared.byReasons.get(reasonsKey);
  if (!list) {
    const held = new HeldRoles(roles);
    for (const [reason, assign] of earned) for (const role of assign) held.give(role, reason);
    for (const [i, { value: grant }] of grants.entries()) held.give(grant.role, grantReasons[i]!);
    shared.byReasons.set(reasonsKey, (list = held.list()));
  }
  if (byGrants) byGrants.set(grantKey, list);
  else node.withoutGrants = list;
  return list;
}

function idOf(ids: Map<Reason, number>, reason: Reason): number {
  let id = ids.get(reason);
  if (id === undefined) ids.set(reason, (id = ids.size));
  return id;
}

/**
 * The node for a person's values of the tested attributes: the same for people the rules
 * cannot tell apart. Each value stands as its number among the values rules name, 0 for one
 * they do not name, -1 when absent, a chain as a number below that; of a chain only the managers some rule names
 * count: so the teams under one manager share a node with every other team alike in
 * department, location and the rest.
 */
function attributesNode(attributes: WorkerAttributes, shared: CompiledRules["shared"]): AttributesTrie {
  const { tested, chainLevels } = shared;
  let node = shared.byAttributes;
  let level = 0;
  if (chainLevels > 0) {
    const chain = attributes.value("reportsTo") as readonly string[];
    const known = chain.length > 0 ? shared.afterChain.get(chain) : undefined;
    if (known) {
      node = known;
      level = chainLevels;
    } else {
      for (; level < chainLevels; level++) node = step(node, attributes, tested[level]!, shared);
      if (chain.length > 0) shared.afterChain.set(chain, node);
    }
  }
  for (; level < tested.length; level++) node = step(node, attributes, tested[level]!, shared);
  return node;
}

function step(node: AttributesTrie, attributes: WorkerAttributes, { name, codes }: CompiledRules["shared"]["tested"][number], shared: CompiledRules["shared"]): AttributesTrie {
  const value = attributes.value(name);
  const code = value === undefined ? -1 : typeof value === "string" || typeof value === "boolean" ? (codes.get(value) ?? 0) : chainId(value, codes, shared);
  let next = node.next.get(code);
  if (!next) node.next.set(code, (next = { next: new Map() }));
  return next;
}

/** The attributes whose value a worker's management chain decides: the manager (its first link) and the chain itself. */
const CHAIN_DECIDED: readonly string[] = ["managerId", "reportsTo"];

function chainId(chain: readonly string[], named: ReadonlyMap<string | boolean, number>, shared: CompiledRules["shared"]): number {
  let id = shared.chainIds.get(chain);
  if (id === undefined) {
    const key = chain.flatMap((v) => named.get(v) ?? []).join(".");
    id = shared.chainIdsByKey.get(key);
    if (id === undefined) shared.chainIdsByKey.set(key, (id = -2 - shared.chainIdsByKey.size));
    shared.chainIds.set(chain, id);
  }
  return id;
}
/** The same rule (or grant, or include chain) counts once, whatever it matched. */
function sameReason(a: Reason, b: Reason): boolean {
  if (a === b) return true;
  switch (a.kind) {
    case "rule":
      return b.kind === "rule" && a.rule === b.rule;
    case "include":
      return b.kind === "include" && a.via.join(">") === b.via.join(">");
    case "grant":
      return b.kind === "grant" && a.grant === b.grant;
    case "service-account":
      return b.kind === "service-account" && a.serviceAccount === b.serviceAccount;
  }
}
