import type { Deployment } from "@pulumi/pulumi/automation/index.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accountsFirst, applyStateEdit, encodeRecord, stateResources, type StateResource } from "../../../src/engine/state-sync.js";

const USER = "rolecall-scim:index:User";
const GROUP = "rolecall-scim:index:Group";
const ACCOUNTS = new Set([USER, "azuread:index/user:User"]);
const stack: StateResource = { urn: "urn:pulumi:prod::rolecall::pulumi:pulumi:Stack::rolecall-prod", type: "pulumi:pulumi:Stack" };
const component: StateResource = { urn: "urn:pulumi:prod::rolecall::rolecall:targets:Scim::scim", type: "rolecall:targets:Scim", parent: stack.urn };
const provider: StateResource = { urn: "urn:pulumi:prod::rolecall::rolecall:targets:Scim$pulumi:providers:rolecall-scim::scim", type: "pulumi:providers:rolecall-scim", parent: component.urn };
const held = (type: string, name: string, extra: Partial<StateResource> = {}): StateResource => ({
  urn: `urn:pulumi:prod::rolecall::rolecall:targets:Scim$${type}::${name}`,
  type,
  parent: component.urn,
  provider: `${provider.urn}::8e8d1a27-248e-45b1-af35-f3a9b8f669e5`,
  ...extra,
});
const names = (resources: readonly StateResource[] | undefined) => resources?.map((r) => r.urn.slice(r.urn.lastIndexOf("::") + 2));

/** Whatever a resource needs is before it: the order the engine's integrity check holds a checkpoint to. */
function valid(resources: readonly StateResource[]): boolean {
  const seen = new Set<string>();
  for (const r of resources) {
    const needs = [r.parent, r.provider?.slice(0, r.provider.lastIndexOf("::")), ...(r.dependencies ?? []), ...Object.values(r.propertyDependencies ?? {}).flat(), r.deletedWith, ...(r.replaceWith ?? []), r.viewOf];
    if (needs.some((u) => u !== undefined && !seen.has(u))) return false;
    seen.add(r.urn);
  }
  return true;
}

describe("the checkpoint's order after an apply", () => {
  it("puts the groups a targeted update wrote first after every account, keeping each part's order", () => {
    // What the engine leaves after an update of two groups and a leaver.
    const after = [stack, component, provider, held(GROUP, "all-staff"), held(USER, "W9"), held(GROUP, "vpn"), held(USER, "W1"), held(USER, "W2"), held(GROUP, "finance")];
    expect(names(accountsFirst(after, ACCOUNTS))).toEqual(["rolecall-prod", "scim", "scim", "W9", "W1", "W2", "all-staff", "vpn", "finance"]);
  });

  it("keeps before an account whatever it needs, a manager or an item it depends on", () => {
    const team = held(GROUP, "team");
    const manager = held("azuread:index/user:User", "W1");
    const report = held("azuread:index/user:User", "W2", { dependencies: [team.urn], propertyDependencies: { managerId: [manager.urn] } });
    const replacing = held(GROUP, "replacing");
    const viewed = held(GROUP, "viewed");
    const late = held(USER, "W3", { replaceWith: [replacing.urn], viewOf: viewed.urn });
    const ordered = accountsFirst([stack, component, provider, team, held(GROUP, "other"), replacing, viewed, manager, report, late], ACCOUNTS)!;
    expect(names(ordered)).toEqual(["rolecall-prod", "scim", "scim", "W1", "team", "W2", "viewed", "replacing", "W3", "other"]);
    expect(valid(ordered)).toBe(true);
  });

  it("pulls ahead a chain of what an account needs far deeper than the call stack", () => {
    const chain: StateResource[] = [];
    for (let i = 0; i < 50_000; i++) chain.push(held(GROUP, `g${i}`, i === 0 ? {} : { dependencies: [chain[i - 1]!.urn] }));
    const account = held(USER, "W1", { dependencies: [chain.at(-1)!.urn] });
    const ordered = accountsFirst([stack, component, provider, held(GROUP, "other"), ...chain, account], ACCOUNTS)!;
    expect(valid(ordered)).toBe(true);
    expect(names(ordered.slice(-2))).toEqual(["W1", "other"]);
  });

  it("leaves alone an order that already has the accounts first, and one holding a URN twice", () => {
    expect(accountsFirst([stack, component, provider, held(USER, "W1"), held(GROUP, "g")], ACCOUNTS)).toBeUndefined();
    const pendingDelete = { ...held(USER, "W1"), delete: true };
    expect(accountsFirst([stack, component, provider, held(GROUP, "g"), pendingDelete, held(USER, "W1")], ACCOUNTS)).toBeUndefined();
  });

  it("gives every valid checkpoint back whole, valid, and with no account after a non-account it does not need", () => {
    const checkpoint = fc.array(fc.record({ account: fc.boolean(), needs: fc.array(fc.nat(), { maxLength: 3 }) }), { maxLength: 40 }).map((specs) => {
      const resources: StateResource[] = [stack, component, provider];
      specs.forEach((spec, i) => {
        // Dependencies only on resources before it: a valid checkpoint's order.
        const before = resources.slice(3);
        const deps = [...new Set(spec.needs.filter(() => before.length > 0).map((n) => before[n % before.length]!.urn))];
        resources.push(held(spec.account ? USER : GROUP, `r${i}`, deps.length ? { dependencies: deps } : {}));
      });
      return resources;
    });
    fc.assert(
      fc.property(checkpoint, (resources) => {
        const ordered = accountsFirst(resources, ACCOUNTS) ?? resources;
        expect(new Set(ordered)).toEqual(new Set(resources));
        expect(ordered).toHaveLength(resources.length);
        expect(valid(ordered)).toBe(true);
        // What some account needs, directly or through what it needs, may come before accounts; nothing else does.
        const byUrn = new Map(resources.map((r) => [r.urn, r]));
        const needed = new Set<string>();
        const need = (urns: readonly string[]) => urns.filter((u) => !needed.has(u)).forEach((u) => (needed.add(u), need(byUrn.get(u)?.dependencies ?? [])));
        need(resources.filter((r) => ACCOUNTS.has(r.type)).flatMap((r) => r.dependencies ?? []));
        const lastAccount = ordered.findLastIndex((r) => ACCOUNTS.has(r.type));
        expect(ordered.slice(3, lastAccount + 1).filter((r) => !ACCOUNTS.has(r.type) && !needed.has(r.urn))).toEqual([]);
      }),
    );
  });

  it("is written only with a record or protection that changes: an order alone does not write the state", () => {
    const resources = [{ ...stack, outputs: { rolecall: encodeRecord({ accounts: {} }) } }, component, provider, held(GROUP, "g"), held(USER, "W1")];
    const exported = (): Deployment => ({ version: 3, deployment: { resources: structuredClone(resources) } });
    const same = exported();
    expect(applyStateEdit(same, { record: { accounts: {} }, accountsFirst: ACCOUNTS })).toBe(false);
    expect(names(stateResources(same))).toEqual(["rolecall-prod", "scim", "scim", "g", "W1"]);
    const changed = exported();
    expect(applyStateEdit(changed, { record: { accounts: { W1: {} } }, accountsFirst: ACCOUNTS })).toBe(true);
    expect(names(stateResources(changed))).toEqual(["rolecall-prod", "scim", "scim", "W1", "g"]);
  });
});
