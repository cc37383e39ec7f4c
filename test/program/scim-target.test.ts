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
    expect(platform.inputs.members).toEqual(["id-W1010", "id-W1011", "id-W1012", "id-W1013"]);

    const provider = registered.find((r) => r.type === "pulumi:providers:rolecall-scim")!;
    expect(provider.inputs.endpoint).toBe("https://scim.example.com/v2");
  });
});
