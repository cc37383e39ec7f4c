import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { PlanDocument } from "../../src/model/plan.js";
import { planned } from "./support/plan.js";
import { patchOp, sandboxSuite, TempProject } from "./support/project.js";

interface Listing {
  users: { id: string; externalId: string; userName: string; active: boolean }[];
  groups: { id: string; displayName: string; members: string[] }[];
}

const changing = (plan: PlanDocument) => plan.steps.filter((s) => s.op !== "same" && s.op !== "refresh").map((s) => `${s.op} ${s.name}`).sort();

/**
 * A full plan or apply previews only the resources whose desired state, state and live read
 * disagree. Whatever it leaves out must be what a preview of every resource finds unchanged:
 * each case compares the scoped plan with `--every-resource` on the same targets, then applies
 * the scoped one and checks the sandbox.
 */
describe("a full run that declares only what changed", () => {
  let project: TempProject;
  const ls = async (): Promise<Listing> => JSON.parse((await project.ok("sandbox", "ls", "--json")).stdout) as Listing;
  const user = (l: Listing, id: string) => l.users.find((u) => u.externalId === id)!;
  const group = (l: Listing, name: string) => l.groups.find((g) => g.displayName === name)!;
  /** Edits a desired-state file, failing when the edit changes nothing (the sample moved on). */
  const edit = async (file: string, change: (text: string) => string) => {
    const at = path.join(project.dir, "desired-state", file);
    const text = await readFile(at, "utf8");
    expect(change(text), file).not.toBe(text);
    await writeFile(at, change(text));
  };
  const patch = (url: string, operation: Record<string, unknown>) => project.scimOk("PATCH", url, patchOp(operation));
  /** The scoped plan and the plan of every resource, which must agree. */
  const bothPlans = async () => {
    const scoped = await planned(project, "plan");
    const every = await planned(project, "plan", "--every-resource");
    expect(scoped.result.code, scoped.result.stderr).toBe(0);
    expect(every.plan.manifest.scope).toBeUndefined();
    expect(changing(scoped.plan)).toEqual(changing(every.plan));
    expect(scoped.plan.digest).toBe(every.plan.digest);
    return scoped;
  };

  sandboxSuite(async (created) => {
    project = created;
    await project.ok("apply", "--yes");
  });

  it("previews nothing when nothing changed, and says how much it left out", async () => {
    const { plan, result } = await planned(project, "plan");
    expect(result.code, result.stderr).toBe(0);
    expect(changing(plan)).toEqual([]);
    expect(plan.manifest.scope).toMatchObject({ previewed: 0 });
    expect(plan.manifest.scope!.unchanged).toBeGreaterThan(40);
    expect(result.stderr).not.toContain("previewing stack");
  });

  it("finds what an administrator changed by hand — an attribute, a membership either way, a deleted account — as the full preview does, and puts it back", async () => {
    const before = await ls();
    const cto = user(before, "W1002");
    await patch(`/Users/${cto.id}`, { op: "replace", path: "title", value: "Changed by hand" });
    const engineering = group(before, "Engineering");
    const outsider = before.users.find((u) => !engineering.members.includes(u.userName))!;
    await patch(`/Groups/${engineering.id}`, { op: "add", path: "members", value: [{ value: outsider.id }] });
    const staff = group(before, "All Staff");
    const member = user(before, "W1008");
    await patch(`/Groups/${staff.id}`, { op: "remove", path: `members[value eq "${member.id}"]` });
    const deleted = user(before, "W1020");
    await project.scimOk("DELETE", `/Users/${deleted.id}`);

    const { plan } = await bothPlans();
    expect(changing(plan)).toEqual(expect.arrayContaining(["update W1002", "update engineering", "update all-staff", "create W1020"]));
    expect(plan.manifest.scope!.previewed).toBeLessThan(15);
    expect((await project.run("apply", "--yes")).code).toBe(0);

    const after = await ls();
    expect(((await project.scimOk("GET", `/Users/${user(after, "W1002").id}`)) as { title?: string }).title).toBe("VP Engineering");
    expect(group(after, "Engineering").members).not.toContain(outsider.userName);
    expect(group(after, "All Staff").members).toContain(member.userName);
    expect(group(after, "All Staff").members).toContain(user(after, "W1020").userName);
    expect(changing((await planned(project, "plan")).plan)).toEqual([]);
  });

  it("creates a joiner, removes a leaver and a group gone from the catalog, as the full preview does", async () => {
    const roster = path.join(project.dir, "desired-state", "hr", "roster.csv");
    await writeFile(roster, (await readFile(roster, "utf8")) + "W1990,Noor,Haddad,,,Engineering,CC-200,Berlin,Software Engineer,W1009,Employee,Active,2024-05-01,\r\n");
    await project.editRoster((row) => (row["Employee ID"] === "W1017" ? { ...row, "Employment Status": "Terminated", "Termination Date": "2026-11-30" } : row));
    // The Lisbon office group goes from the catalog with the role and the rule granting it.
    await edit("catalog.yaml", (t) => t.replace("    office-lisbon: { displayName: Office Lisbon }\n", ""));
    await edit("roles/workforce.yaml", (t) => t.replace(/ {2}- id: office-lisbon\n(?: {4}.*\n)+/, ""));
    await edit("rules/birthright.yaml", (t) => t.replace(/ {2}- id: office-lisbon\n(?: {4}.*\n)+/, ""));

    const { plan } = await bothPlans();
    expect(changing(plan)).toEqual(expect.arrayContaining(["create W1990", "delete W1017", "delete office-lisbon"]));
    expect((await project.run("apply", "--yes")).code).toBe(0);
    const after = await ls();
    expect(after.users.map((u) => u.externalId)).toContain("W1990");
    expect(after.users.map((u) => u.externalId)).not.toContain("W1017");
    expect(after.groups.map((g) => g.displayName)).not.toContain("Office Lisbon");
    expect(group(after, "Engineering").members).toContain("noor.haddad@example.com");
    expect(changing((await planned(project, "plan")).plan)).toEqual([]);
  });
});
