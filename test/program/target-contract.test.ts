import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { compile } from "../../src/compile/compile.js";
import { itemsOf } from "../../src/compile/project.js";
import { pluginOfPackage } from "../../src/engine/plugins.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import type { DesiredState, DirectoryUser } from "../../src/model/desired-state.js";
import { adoptionFacts } from "../../src/inventory/adoption-holdings.js";
import type { Adoption } from "../../src/model/adoption.js";
import { ALL_TARGETS } from "../../src/targets/registry.js";
import { recordRegistrations, type Registered } from "../support/pulumi-mocks.js";

/**
 * Every registered target through the same contract: what compile, the plan model, the
 * engine and the evidence rely on of a target without knowing which one it is. A new target
 * passes these before anything else; it only needs example settings and a connection below.
 */
const AWS = { region: "eu-central-1", identityStoreId: "d-1234567890", instanceArn: "arn:aws:sso:::instance/ssoins-1234567890abcdef" };
const EXAMPLES: Record<string, { settings: unknown; connection: unknown }> = {
  scim: { settings: { endpoint: "https://scim.example.com/v2" }, connection: { endpoint: "https://scim.example.com/v2", token: "not-a-real-token" } },
  okta: { settings: { orgName: "dev-123456", baseUrl: "okta.com" }, connection: { orgName: "dev-123456", baseUrl: "okta.com" } },
  azuread: { settings: { tenantId: "00000000-0000-0000-0000-000000000000" }, connection: { tenantId: "00000000-0000-0000-0000-000000000000" } },
  aws: { settings: AWS, connection: { ...AWS, maxRetries: 25 } },
};

const registered: Registered[] = [];
/** The import ID the engine received with each registration (MockResourceArgs.id), by index into `registered`. */
const importIds: (string | undefined)[] = [];
beforeAll(() =>
  recordRegistrations(registered, (args) => {
    importIds[registered.length - 1] = args.id || undefined;
    return {};
  }),
);

const inputs = await loadDesiredState("desired-state");
const desired = compile(inputs, "2026-11-25");
const projectionOf = (name: string) => (desired.targets as Record<string, { users: DirectoryUser[] } | undefined>)[name];
const shapeOf = (schema: z.ZodType) => (schema as unknown as { shape: Record<string, unknown> }).shape;

async function settled(): Promise<void> {
  let seen = -1;
  while (seen !== registered.length) {
    seen = registered.length;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the target registry", () => {
  it("names each target, component, account type and provider package once", () => {
    for (const pick of [(t: (typeof ALL_TARGETS)[number]) => t.name, (t: (typeof ALL_TARGETS)[number]) => t.componentType, (t: (typeof ALL_TARGETS)[number]) => t.plan.accountType]) {
      const values = ALL_TARGETS.map(pick);
      expect(new Set(values).size).toBe(values.length);
    }
  });

  it("has example settings and a connection in this test for every registered target", () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(ALL_TARGETS.map((t) => t.name).sort());
  });

  it("is what the sample organisation's catalog is checked against: it describes every target", () => {
    for (const t of ALL_TARGETS) expect(projectionOf(t.name), t.name).toBeDefined();
  });
});

describe.each(ALL_TARGETS.map((t) => [t.name, t] as const))("the %s target", (name, target) => {
  it("holds each of its kinds under the same field in its catalog section, a role's entitlements and its projection", () => {
    expect(target.held.length).toBeGreaterThan(0);
    for (const { field } of target.held) {
      expect(shapeOf(target.schemas.catalog), `catalog ${field}`).toHaveProperty(field);
      expect(shapeOf(target.schemas.entitlements), `entitlements ${field}`).toHaveProperty(field);
      expect(shapeOf(target.schemas.projection), `projection ${field}`).toHaveProperty(field);
    }
  });

  it("projects the sample organisation into what its own projection schema accepts, every holder an account it declares", () => {
    const projection = projectionOf(name)!;
    expect(target.schemas.projection.safeParse(projection).error).toBeUndefined();
    const users = new Set(projection.users.map((u) => u.key));
    const items = itemsOf(projection as NonNullable<DesiredState["targets"]["scim"]>);
    expect(items.length).toBeGreaterThan(0);
    for (const [item, holders] of items) {
      expect(target.held.map((h) => h.kind)).toContain(item.split(":")[0]);
      for (const h of holders) expect(users, `${item} holder ${h.user}`).toContain(h.user);
    }
  });

  it("gives an empty projection its schema accepts, with nothing held", () => {
    const empty = target.emptyProjection([]);
    expect(target.schemas.projection.safeParse(empty).error).toBeUndefined();
    expect(itemsOf(empty as NonNullable<DesiredState["targets"]["scim"]>)).toEqual([]);
  });

  it("keeps a consistent projection whole when dropping what dangles, and keeps its schema", () => {
    const projection = projectionOf(name)!;
    const kept = target.withoutDangling(projection);
    expect(kept).toEqual(projection);
    const none = target.withoutDangling({ ...projection, ...Object.fromEntries(target.held.map((h) => [h.field, []])) });
    expect(target.schemas.projection.safeParse(none).error).toBeUndefined();
  });

  it("refuses nothing of the valid sample organisation, and something of an account it cannot hold", () => {
    const settings = target.schemas.settings.parse(EXAMPLES[name]!.settings);
    expect(target.limits({ desired, inputs, settings }).filter((f) => f.severity === "error")).toEqual([]);
    const broken = structuredClone(desired);
    const users = (broken.targets as Record<string, { users: DirectoryUser[] }>)[name]!.users;
    users[0] = { ...users[0]!, email: "not an address" };
    const findings = target.limits({ desired: broken, inputs, settings });
    expect(findings.filter((f) => f.severity === "error").length).toBeGreaterThan(0);
    for (const f of findings) expect(f.file).toBeTruthy();
  });

  it("reads an empty deployment without failing", () => {
    expect(() => target.readPrevious?.({ deployment: { resources: [] } })).not.toThrow();
  });

  it("needs plugins only of packages that are resource providers", () => {
    for (const pkg of target.packages) expect(pluginOfPackage(pkg).name).toBeTruthy();
  });

  it("declares its component and one account resource per projected account, named by its key, with its enabled field telling a disabled account from an enabled one", async () => {
    const projection = projectionOf(name)!;
    const declare = await target.loadDeclare();
    const start = registered.length;
    await declare(name, projection, EXAMPLES[name]!.connection, {});
    await settled();
    const mine = registered.slice(start);
    expect(mine.filter((r) => r.type === target.componentType).map((r) => r.name)).toEqual([name]);
    const accounts = mine.filter((r) => r.type === target.plan.accountType);
    expect(accounts.map((a) => a.name).sort()).toEqual(projection.users.map((u) => u.key).sort());
    const disabled = projection.users.find((u) => !u.active && u.kind === "person")!;
    const enabled = projection.users.find((u) => u.active && u.kind === "person")!;
    const inputsOf = (key: string) => accounts.find((a) => a.name === key)!.inputs;
    for (const field of target.plan.enabledFields) {
      expect(inputsOf(enabled.key), `${field} of ${enabled.key}`).toHaveProperty(field);
      expect(inputsOf(disabled.key)[field], `${field} of disabled ${disabled.key}`).not.toEqual(inputsOf(enabled.key)[field]);
    }
  });

  it("adopts an existing account and group: the engine imports each by the import ID its facts give (or the provider adopts the id), and nothing else", async () => {
    expect(target.adoption, "every registered target adopts").toBeDefined();
    const projection = projectionOf(name)! as { users: DirectoryUser[]; groups: { key: string; displayName?: string }[] };
    const user = projection.users.find((u) => u.active)!;
    const group = projection.groups[0]!;
    const facts = adoptionFacts({ [name]: target.schemas.settings.parse(EXAMPLES[name]!.settings) })[name]!;
    const adoption = (kind: Adoption["kind"], key: string, id: string, name_: string): Adoption => {
      const importId = facts.importId?.(kind, id);
      return { target: name, kind, key, id, name: name_, because: "matched by externalId", ...(importId ? { importId } : {}), changes: [] };
    };
    const adoptions = [adoption("account", user.key, "live-account-1", user.userName), adoption("group", group.key, "live-group-1", group.displayName ?? group.key)];
    const declare = await target.loadDeclare();
    const start = registered.length;
    await declare(name, projection as never, EXAMPLES[name]!.connection, { adoption: { adoptions, orphans: [] } });
    await settled();
    const imported = registered.slice(start).flatMap((r, i) => (importIds[start + i] ? [[r.name, importIds[start + i]]] : []));
    if (facts.importId) {
      expect(Object.fromEntries(imported)).toEqual({ [user.key]: adoptions[0]!.importId, [group.key]: adoptions[1]!.importId });
      const accounts = registered.slice(start).map((r, i) => [r, importIds[start + i]] as const).filter(([r]) => r.type === target.plan.accountType);
      expect(accounts.filter(([, id]) => id).map(([r]) => r.name)).toEqual([user.key]);
    } else {
      // The provider adopts by the target's id itself (SCIM): no engine import at all.
      expect(imported).toEqual([]);
      expect(registered.slice(start).find((r) => r.type === target.plan.accountType && r.name === user.key)!.inputs).toHaveProperty("adoptId", "live-account-1");
    }
  });
});
