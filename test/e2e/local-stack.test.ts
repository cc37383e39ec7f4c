import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { LocalWorkspace } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, it } from "vitest";
import { readCheckpointFile } from "../../src/engine/file-backend.js";
import { ensurePulumiCli } from "../../src/engine/pulumi-cli.js";
import { exportCheckpoint, type StateResource } from "../../src/engine/state-sync.js";
import { openStack } from "../../src/engine/workspace.js";
import { todayIn } from "../../src/load/as-of.js";
import { compile } from "../../src/compile/compile.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import { personIn, planned } from "./support/plan.js";
import { sandboxSuite, TempProject } from "./support/project.js";

interface Listing {
  users: { id: string; userName: string; externalId: string; active: boolean }[];
  groups: { id: string; displayName: string; members: string[] }[];
}

/**
 * The whole loop on the local stack with the real engine: HR roster → desired state →
 * preview/apply → the sandbox. What a user does in the README's tour.
 */
describe("the local stack, end to end", () => {
  let project: TempProject;
  const ls = async (): Promise<Listing> => JSON.parse((await project.ok("sandbox", "ls", "--json")).stdout) as Listing;
  const expected = async () => {
    const inputs = await loadDesiredState(`${project.dir}/desired-state`);
    return compile(inputs, todayIn(inputs.policy.organization.timezone)).targets.scim!;
  };

  const stateResources = async () => {
    const state = JSON.parse(await readFile(path.join(project.dir, ".rolecall", "state", ".pulumi", "stacks", "rolecall", "local.json"), "utf8")) as { checkpoint: { latest: { resources: StateResource[] } } };
    return state.checkpoint.latest.resources;
  };

  sandboxSuite(async (created) => {
    project = created;
  });

  it("a fresh apply creates exactly the declared users, groups and memberships", async () => {
    const applied = await project.ok("apply", "--yes");
    expect(applied.stdout).toMatch(/Applied to stack local: \d+ steps done/);
    const want = await expected();
    const got = await ls();
    expect(got.users.map((u) => [u.externalId, u.userName, u.active]).sort()).toEqual(want.users.map((u) => [u.key, u.userName, u.active]).sort());
    const userNameOf = new Map(want.users.map((u) => [u.key, u.userName]));
    const groups = Object.fromEntries(got.groups.map((g) => [g.displayName, [...g.members].sort()]));
    expect(groups).toEqual(Object.fromEntries(want.groups.map((g) => [g.displayName, g.members.map((m) => userNameOf.get(m.user)!).sort()])));
    // Members are named by the ids the engine answered: no group records a dependency on them,
    // which every later targeted run would walk once per target (src/targets/scim/component.ts).
    const resources = await stateResources();
    const groupsInState = resources.filter((r) => r.type === "rolecall-scim:index:Group");
    expect(groupsInState).toHaveLength(want.groups.length);
    const onUsers = groupsInState.flatMap((r) => [...(r.dependencies ?? []), ...Object.values(r.propertyDependencies ?? {}).flat()]).filter((urn) => urn.includes("rolecall-scim:index:User::"));
    expect(onUsers).toEqual([]);
    // Nor does any resource keep the program's call stack (src/engine/sdk-overhead.ts).
    const traced = resources.filter((r) => "stackTrace" in r || "sourcePosition" in r);
    expect(traced.map((r) => r.urn)).toEqual([]);
  });

  it("reads the checkpoint from the state folder exactly as the engine exports it", async () => {
    const cli = await ensurePulumiCli(() => undefined);
    const { stack, backend } = await openStack({ projectDir: project.dir, stackName: "local", cli, program: async () => ({}) });
    // Read from the file, not by the CLI: otherwise this compares the CLI with itself.
    expect(await readCheckpointFile(backend!)).toBeDefined();
    const workspace = stack.workspace as LocalWorkspace;
    const { stdout } = await promisify(execFile)(cli.command.command, ["stack", "export", "--stack", "local", "--non-interactive"], { cwd: workspace.workDir, env: { ...process.env, ...workspace.envVars }, maxBuffer: 256 * 1024 * 1024 });
    expect(await exportCheckpoint(stack)).toEqual(JSON.parse(stdout));
  });

  it("the next plan reports no changes", async () => {
    const { plan } = await planned(project, "plan");
    expect(plan.people).toEqual([]);
    expect(plan.groups).toEqual([]);
    expect((await project.ok("plan")).stdout).toContain("no changes");
  });

  it("a terminated worker is planned for removal with their memberships, and apply removes them", async () => {
    const before = await ls();
    const leaver = before.users.find((u) => u.externalId === "W1010")!;
    const theirGroups = before.groups.filter((g) => g.members.includes(leaver.userName)).map((g) => g.displayName);
    expect(theirGroups.length).toBeGreaterThan(0);

    await project.editRoster((row) => (row["Employee ID"] === "W1010" ? { ...row, "Employment Status": "Terminated" } : row));
    const { plan } = await planned(project, "plan");
    expect(plan.summary).toMatchObject({ joiners: 0, leavers: 1, movers: 0 });
    const leaverPlan = personIn(plan, "W1010")!;
    expect(leaverPlan).toMatchObject({ change: "leaver", account: [{ target: "scim", op: "delete" }] });
    const keyOf = new Map((await expected()).groups.map((g) => [g.displayName, g.key]));
    expect(leaverPlan.losses.map((l) => l.item).sort()).toEqual(theirGroups.map((g) => keyOf.get(g)).sort());
    expect(leaverPlan.losses.every((l) => l.lost?.length === 1 && l.lost[0]!.kind === "lifecycle" && l.lost[0]!.reason === "terminated in HR (no end date)")).toBe(true);

    await project.ok("apply", "--yes");
    const after = await ls();
    expect(after.users.map((u) => u.externalId)).not.toContain("W1010");
    expect(after.groups.flatMap((g) => g.members)).not.toContain(leaver.userName);
    expect((await planned(project, "plan")).plan.people).toEqual([]);
    // The update wrote the groups it changed first; the record's write put them back after the accounts (state-sync.ts, accountsFirst).
    const types = (await stateResources()).map((r) => r.type);
    expect(types.lastIndexOf("rolecall-scim:index:User")).toBeLessThan(types.indexOf("rolecall-scim:index:Group"));
  });

  it("a renamed person (new email, same worker ID) is an update of the same account, not a replace", async () => {
    const before = (await ls()).users.find((u) => u.externalId === "W1011")!;
    await project.editRoster((row) => (row["Employee ID"] === "W1011" ? { ...row, "Last Name": "Mensah-Okoro", "Work Email": "kwame.okoro@example.com" } : row));
    const { plan } = await planned(project, "plan");
    expect(plan.people.map((p) => [p.id, p.change])).toEqual([["W1011", "updated"]]);
    expect(personIn(plan, "W1011")!.account).toEqual([{ target: "scim", op: "update", changed: expect.arrayContaining(["userName", "email", "familyName"]) }]);
    expect(plan.steps.filter((s) => s.op === "replace" || s.op === "delete")).toEqual([]);
    await project.ok("apply", "--yes");
    const after = (await ls()).users.find((u) => u.externalId === "W1011")!;
    expect(after).toMatchObject({ id: before.id, userName: "kwame.okoro@example.com" });
  });
});
