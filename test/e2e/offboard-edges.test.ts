import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planned } from "./support/plan.js";
import { patchOp, sandboxSuite, TempProject } from "./support/project.js";

interface Listing {
  users: { id: string; externalId: string; userName: string; active: boolean }[];
  groups: { id: string; displayName: string; members: string[] }[];
}

/**
 * The leaver fast path where the targets no longer match what the last apply left: an account
 * or membership already removed by hand, a person on leave who keeps their groups, a membership
 * added by hand. Each case starts from a full apply of the sample.
 */
describe("rolecall offboard when the targets moved since the last apply", () => {
  let project: TempProject;
  const ls = async (): Promise<Listing> => JSON.parse((await project.ok("sandbox", "ls", "--json")).stdout) as Listing;
  const setStatus = (id: string, status: string) => project.editRoster((row) => (row["Employee ID"] === id ? { ...row, "Employment Status": status } : row));
  const user = (l: Listing, id: string) => l.users.find((u) => u.externalId === id);
  const groupsOf = (l: Listing, id: string) => l.groups.filter((g) => g.members.includes(user(l, id)?.userName ?? "?")).map((g) => g.displayName).sort();
  const patchMembers = (group: string, op: "add" | "remove", member: string) =>
    project.scimOk("PATCH", `/Groups/${group}`, patchOp(op === "add" ? { op, path: "members", value: [{ value: member }] } : { op, path: `members[value eq "${member}"]` }));

  sandboxSuite(async (created) => {
    project = created;
    await project.ok("apply", "--yes");
  });

  it("a leaver whose account is already gone does not hold back another leaver", async () => {
    await project.scimOk("DELETE", `/Users/${user(await ls(), "W1014")!.id}`);
    await setStatus("W1014", "Terminated");
    await setStatus("W1015", "Terminated");
    const { result } = await planned(project, "offboard", "--yes");
    expect(result.code, result.stderr).toBe(0);
    const after = await ls();
    expect(user(after, "W1015")).toBeUndefined();
    expect(groupsOf(after, "W1015")).toEqual([]);
  });

  it("a leaver an administrator already took out of every group is still deleted", async () => {
    await project.ok("apply", "--yes");
    const before = await ls();
    const leaver = user(before, "W1017")!;
    for (const g of before.groups.filter((x) => x.members.includes(leaver.userName))) await patchMembers(g.id, "remove", leaver.id);
    await setStatus("W1017", "Terminated");
    const { result } = await planned(project, "offboard", "--yes");
    expect(result.code, result.stderr).toBe(0);
    expect(user(await ls(), "W1017")).toBeUndefined();
    // What the fast path left passes the engine's integrity check: the next full run has nothing to do.
    const next = await planned(project, "plan");
    expect(next.plan.people).toEqual([]);
  });

  it("a person on leave who keeps their groups (onLeave: keep-entitlements) is disabled", async () => {
    const policy = path.join(project.dir, "desired-state", "policy.yaml");
    const text = await readFile(policy, "utf8");
    try {
      await writeFile(policy, text.replace("onLeave: suspend", "onLeave: keep-entitlements"));
      await project.ok("apply", "--yes");
      const groups = groupsOf(await ls(), "W1019");
      await setStatus("W1019", "On Leave");
      const { result } = await planned(project, "offboard", "--yes");
      expect(result.code, result.stderr).toBe(0);
      const after = await ls();
      expect(user(after, "W1019")?.active).toBe(false);
      expect(groupsOf(after, "W1019")).toEqual(groups);
    } finally {
      await writeFile(policy, text);
    }
  });

  it("a membership added by hand, which the state does not know, fails the run on the live proof", async () => {
    await project.ok("apply", "--yes");
    const before = await ls();
    await patchMembers(before.groups.find((g) => g.displayName === "Sales")!.id, "add", user(before, "W1016")!.id);
    await setStatus("W1016", "On Leave");
    const { result } = await planned(project, "offboard", "--yes");
    // The fast path reads only what the state says the leaver holds; the proof reads them live.
    expect(result.code, result.stderr).toBe(5);
    expect(result.stderr).toMatch(/sales/i);
  });
});
