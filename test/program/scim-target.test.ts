import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile/compile.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import { declareTargets } from "../../src/targets/declare.js";
import { recordRegistrations, type Registered } from "../support/pulumi-mocks.js";

const registered: Registered[] = [];

beforeAll(() => recordRegistrations(registered, (args) => ({ scimId: `id-${args.name}` })));

const settle = () => new Promise((r) => setTimeout(r, 50));

describe("the SCIM target with Pulumi's mocks", () => {
  it("declares one user per declared person and one group per catalog group, with its members", async () => {
    const desired = compile(await loadDesiredState("desired-state"), "2026-11-25");
    await declareTargets(desired, { scim: { endpoint: "https://scim.example.com/v2", token: "not-a-real-token" } });
    await settle();

    const users = registered.filter((r) => r.type === "rolecall-scim:index:User");
    const groups = registered.filter((r) => r.type === "rolecall-scim:index:Group");
    expect(users.map((u) => u.name).sort()).toEqual(desired.targets.scim!.users.map((u) => u.key).sort());
    expect(users.find((u) => u.name === "svc-payroll-export")!.inputs).toMatchObject({ externalId: "svc-payroll-export", active: true });
    const leaver = desired.people.find((p) => p.state === "leaver")!;
    expect(users.map((u) => u.name)).not.toContain(leaver.id);
    expect(users.find((u) => u.name === "W1048")!.inputs).toMatchObject({ externalId: "W1048", active: false });

    const platform = groups.find((g) => g.name === "platform-team")!;
    expect(platform.inputs).toMatchObject({ displayName: "Platform Team", externalId: "platform-team" });
    // Each member the engine has answered is named by its id, packed (member-list.ts): the group records no dependency on them.
    expect(platform.inputs.members).toEqual(["id-W1010\nid-W1011\nid-W1012\nid-W1013"]);

    const provider = registered.find((r) => r.type === "pulumi:providers:rolecall-scim")!;
    expect(provider.inputs.endpoint).toBe("https://scim.example.com/v2");
  });

  it("declares only the accounts and groups it is told to, naming every other member of a group by its id in the state", async () => {
    const desired = compile(await loadDesiredState("desired-state"), "2026-11-25");
    const scim = { scim: { endpoint: "https://scim.example.com/v2", token: "not-a-real-token" } };
    const inState = new Map(desired.targets.scim!.users.map((u) => [u.key, `state-${u.key}`]));
    registered.length = 0;
    const part = { accounts: new Set(["W1011"]), groups: new Set(["platform-team", "all-staff"]) };
    await declareTargets(desired, scim, { accountIds: { scim: inState } }, part);
    await settle();

    expect(registered.filter((r) => r.type === "rolecall-scim:index:User").map((u) => u.name)).toEqual(["W1011"]);
    const groups = registered.filter((r) => r.type === "rolecall-scim:index:Group");
    expect(groups.map((g) => g.name).sort()).toEqual(["all-staff", "platform-team"]);
    // The ids from the state and the declared account's, once the engine answered it, in one element.
    expect(groups.find((g) => g.name === "platform-team")!.inputs.members).toEqual(["id-W1011\nstate-W1010\nstate-W1012\nstate-W1013"]);

    // A member neither declared nor in the state cannot be named: the program fails rather than drop them.
    const withoutW1012 = new Map([...inState].filter(([key]) => key !== "W1012"));
    await expect(declareTargets(desired, scim, { accountIds: { scim: withoutW1012 } }, part)).rejects.toThrow(/group all-staff lists W1012, whose account this run neither declares nor finds in the state/);
  });
});
