import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { InventoryDocument } from "../../src/model/inventory.js";
import { personIn, planned } from "./support/plan.js";
import { patchOp, sandboxSuite, TempProject } from "./support/project.js";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

interface ScimUser {
  id: string;
  userName: string;
  externalId?: string;
  active?: boolean;
}

/**
 * Brownfield adoption and orphans with the real engine against the sandbox, populated before
 * rolecall's first apply: an account matching an HR worker by externalId, one by email only,
 * one matching nobody, two claiming the same worker, and a group of the catalog's name made
 * by hand.
 */
describe("brownfield adoption and orphans, end to end on the sandbox", () => {
  let project: TempProject;
  const users = async () => (await project.scimOk<{ Resources: ScimUser[] }>("GET", "/Users?count=1000"))!.Resources;
  const policyFile = () => path.join(project.dir, "desired-state", "policy.yaml");

  sandboxSuite(async (created) => {
    project = created;
    await project.ok("sandbox", "start");
  });

  it("adopts linked accounts and groups in place, refuses the disputed one until adoption.yaml settles it, then removes orphans under policy within the guardrails", async () => {
    const byExternalId = (await project.scimOk<ScimUser>("POST", "/Users", { schemas: [USER], userName: "bokafor", externalId: "W1002", active: false }))!;
    const byEmail = (await project.scimOk<ScimUser>("POST", "/Users", { schemas: [USER], userName: "CDUBOIS", emails: [{ value: "Chloe.Dubois@example.com", primary: true }] }))!;
    const rogue = (await project.scimOk<ScimUser>("POST", "/Users", { schemas: [USER], userName: "rogue.admin@example.com" }))!;
    const first = (await project.scimOk<ScimUser>("POST", "/Users", { schemas: [USER], userName: "divanov", emails: [{ value: "dmitri.ivanov@example.com" }] }))!;
    const second = (await project.scimOk<ScimUser>("POST", "/Users", { schemas: [USER], userName: "dmitri.old", emails: [{ value: "dmitri.ivanov@example.com" }] }))!;
    const breakGlass = (await project.scimOk<ScimUser>("POST", "/Users", { schemas: [USER], userName: "breakglass-ops" }))!;
    const group = (await project.scimOk("POST", "/Groups", { schemas: [GROUP], displayName: "IT Administrators", members: [{ value: rogue.id }] }))!;

    const inventory = await project.run("inventory", "--json");
    expect(inventory.code, inventory.stderr).toBe(1);
    const scim = (JSON.parse(inventory.stdout) as InventoryDocument).targets.find((t) => t.target === "scim")!;
    const classOf = (id: string) => scim.accounts.find((a) => a.id === id);
    expect(classOf(byExternalId.id)).toMatchObject({ class: "linked", identity: "W1002", rule: "externalId" });
    expect(classOf(byEmail.id)).toMatchObject({ class: "linked", identity: "W1003", rule: "email" });
    expect(classOf(rogue.id)).toMatchObject({ class: "orphan" });
    expect(classOf(first.id)).toMatchObject({ class: "disputed", identity: "W1004" });
    expect(classOf(second.id)).toMatchObject({ class: "disputed", identity: "W1004" });

    // Disputed: refused before any preview, at the worker's roster row, with the decision to write.
    const refused = await project.run("apply", "--yes");
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toContain("disputed-account");
    expect(refused.stderr).toMatch(/desired-state\/hr\/roster\.csv:5/);
    expect(refused.stderr).toContain("adoption.yaml");
    expect((await users()).length).toBe(6);

    // A decision written for another userName is refused at its line.
    const decisions = (userName: string) =>
      [
        "decisions:",
        `  - { target: scim, account: "${first.id}", userName: ${userName}, belongsTo: W1004, reason: "HR confirmed with Dmitri" }`,
        `  - { target: scim, account: "${second.id}", userName: dmitri.old, belongsTo: orphan, reason: "an old test account" }`,
        "",
      ].join("\n");
    await writeFile(path.join(project.dir, "desired-state", "adoption.yaml"), decisions("someone.else"));
    const stale = await project.run("apply", "--yes");
    expect(stale.code, stale.stderr).toBe(1);
    expect(stale.stderr).toMatch(/desired-state\/adoption\.yaml:2.*\n?.*adoption-decision-stale|adoption-decision-stale[\s\S]*adoption\.yaml:2/);

    await writeFile(path.join(project.dir, "desired-state", "adoption.yaml"), decisions("divanov"));
    const { plan, result } = await planned(project, "apply", "--yes");
    expect(result.code, result.stderr).toBe(0);
    expect(personIn(plan, "W1002")).toMatchObject({ change: "adopted" });
    expect(personIn(plan, "W1003")).toMatchObject({ change: "adopted" });
    expect(personIn(plan, "W1004")).toMatchObject({ change: "adopted" });
    expect(personIn(plan, "W1001")).toMatchObject({ change: "joiner" });
    const adoptedW1002 = plan.adoptions!.find((a) => a.key === "W1002")!;
    expect(adoptedW1002).toMatchObject({ kind: "account", id: byExternalId.id, op: "create" });
    expect(adoptedW1002.changes).toContainEqual({ field: "active", from: "false", to: "true" });
    expect(plan.adoptions!.find((a) => a.key === "W1003")!.changes).toContainEqual({ field: "externalId", to: "W1003" });
    expect(plan.adoptions).toContainEqual(expect.objectContaining({ kind: "group", key: "it-admins", id: group.id, because: "matched by displayName" }));
    expect(plan.orphans!.map((o) => [o.userName, o.action])).toEqual(
      expect.arrayContaining([
        ["rogue.admin@example.com", "report"],
        ["dmitri.old", "report"],
        ["breakglass-ops", "report"],
      ]),
    );
    expect(result.stdout).toMatch(/adopt scim account bokafor/);

    // No duplicate and no delete-and-recreate: the same SCIM ids, now with rolecall's attributes.
    const after = await users();
    const byId = new Map(after.map((u) => [u.id, u]));
    expect(byId.get(byExternalId.id)).toMatchObject({ externalId: "W1002", userName: "bjorn.okafor@example.com", active: true });
    expect(byId.get(byEmail.id)).toMatchObject({ externalId: "W1003", userName: "chloe.dubois@example.com" });
    expect(byId.get(first.id)).toMatchObject({ externalId: "W1004" });
    for (const worker of ["W1002", "W1003", "W1004"]) expect(after.filter((u) => u.externalId === worker)).toHaveLength(1);
    expect(byId.has(rogue.id) && byId.has(second.id) && byId.has(breakGlass.id)).toBe(true);
    const groups = (await project.scimOk("GET", "/Groups?count=100"))!.Resources!;
    expect(groups.filter((g) => g.displayName === "IT Administrators")).toHaveLength(1);

    // A second run is quiet: the adopted accounts are managed now.
    const quiet = await planned(project, "plan");
    expect(quiet.result.code, quiet.result.stderr).toBe(0);
    expect(quiet.plan.adoptions).toEqual([]);
    expect(quiet.plan.people.filter((p) => p.change !== "updated")).toEqual([]);

    // A membership added behind rolecall's back is named in the drift correction.
    await project.scimOk("PATCH", `/Groups/${group.id}`, patchOp({ op: "add", path: "members", value: [{ value: rogue.id }] }));

    // Orphans removed under policy, counted by the deprovisioning guardrail.
    const policy = await readFile(policyFile(), "utf8");
    await writeFile(policyFile(), policy.replace("maxDeprovision: { count: 5, percent: 10 }", "maxDeprovision: { count: 1, percent: 50 }") + 'orphans:\n  scim:\n    action: remove\n    exclude: ["breakglass-*"]\n');
    const guarded = await planned(project, "apply", "--yes");
    expect(guarded.result.code, guarded.result.stderr).toBe(1);
    expect(guarded.plan.guardrails.find((g) => g.name === "max-deprovision-count")).toMatchObject({ verdict: "fail", actual: "2 people" });
    expect(guarded.plan.summary.orphansRemoved).toBe(2);
    expect(guarded.plan.risks).toContainEqual(expect.objectContaining({ code: "drift", message: expect.stringContaining("rogue.admin@example.com added to it by hand") }));
    expect(guarded.result.stdout).toMatch(/drift: scim it-admins differs from what was applied: rogue\.admin@example\.com added to it by hand/);
    expect(new Set((await users()).map((u) => u.id))).toContain(rogue.id);

    const removed = await planned(project, "apply", "--yes", "--allow-mass-deprovision", "orphans found at adoption, reviewed");
    expect(removed.result.code, removed.result.stderr).toBe(0);
    expect(removed.plan.orphans!.filter((o) => o.action === "remove").map((o) => o.id).sort()).toEqual([rogue.id, second.id].sort());
    const left = new Set((await users()).map((u) => u.id));
    expect(left.has(rogue.id) || left.has(second.id)).toBe(false);
    expect(left.has(breakGlass.id)).toBe(true);
    expect((await project.run("evidence", "verify", removed.dir)).code).toBe(0);

    // Nothing left to remove: the next plan has no step for orphans and exits 0.
    const settled = await planned(project, "plan");
    expect(settled.result.code, settled.result.stderr).toBe(0);
    expect(settled.plan.summary.orphansRemoved).toBe(0);
    expect(settled.plan.orphans!.map((o) => o.userName)).toEqual(["breakglass-ops"]);
  });
});
