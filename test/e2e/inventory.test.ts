import { appendFile, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { InventoryDocument } from "../../src/model/inventory.js";
import { planned } from "./support/plan.js";
import { patchOp, sandboxSuite, TempProject } from "./support/project.js";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

/**
 * `rolecall inventory` with the real engine against the sandbox after an apply, with accounts
 * made behind rolecall's back: one matching an HR joiner by email only, one matching nobody,
 * one claiming an already managed worker, a leaver's account back by externalId, and a
 * membership nothing declares.
 */
describe("rolecall inventory, end to end", () => {
  let project: TempProject;
  const inventory = async () => {
    const result = await project.run("inventory", "--json");
    return { result, doc: JSON.parse(result.stdout) as InventoryDocument };
  };

  sandboxSuite(async (created) => {
    project = created;
    await project.ok("apply", "--yes");
  });

  it("classifies every live account and lists the membership nothing declares; a disputed account exits 1 with the roster row", async () => {
    const roster = path.join(project.dir, "desired-state", "hr", "roster.csv");
    const eol = (await readFile(roster, "utf8")).includes("\r\n") ? "\r\n" : "\n";
    await appendFile(roster, `W1099,Tilde,Nyberg,,,Engineering,CC-200,Berlin,Software Engineer,W1002,Employee,Active,2025-01-06,${eol}`);
    await project.scimOk("POST", "/Users", { schemas: [USER], userName: "TILDE.NYBERG@example.com", emails: [{ value: "Tilde.Nyberg@Example.com", primary: true }] });
    const rogue = (await project.scimOk("POST", "/Users", { schemas: [USER], userName: "rogue.admin@example.com" }))!;
    const duplicate = (await project.scimOk("POST", "/Users", { schemas: [USER], userName: "kwame-second", emails: [{ value: "jonas.weber@example.com" }] }))!;
    await project.scimOk("POST", "/Users", { schemas: [USER], userName: "zoe.back", externalId: "W1026" });
    const groups = (await project.scimOk("GET", `/Groups?filter=${encodeURIComponent('displayName eq "IT Administrators"')}`))!.Resources!;
    await project.scimOk("PATCH", `/Groups/${groups[0]!.id}`, patchOp({ op: "add", path: "members", value: [{ value: rogue.id }] }));

    const { result, doc } = await inventory();
    expect(result.code, result.stderr).toBe(1);
    const scim = doc.targets.find((t) => t.target === "scim")!;
    const byName = (userName: string) => scim.accounts.find((a) => a.userName === userName);
    expect(byName("TILDE.NYBERG@example.com")).toMatchObject({ class: "linked", identity: "W1099", rule: "email" });
    expect(byName("rogue.admin@example.com")).toMatchObject({ class: "orphan" });
    expect(byName("kwame-second")).toMatchObject({ class: "disputed", identity: "W1010" });
    expect(byName("zoe.back")).toMatchObject({ class: "leaver-present", identity: "W1026" });
    expect(scim.summary.disputed).toBe(1);
    expect(scim.summary.managed).toBe(scim.accounts.length - 4);
    expect(scim.unmanaged).toContainEqual({ holder: "rogue.admin@example.com", account: rogue.id, kind: "group", item: "it-admins", inCatalog: true });
    expect(result.stderr).toMatch(/hr\/roster\.csv:\d+.*disputed|disputed-account/);
    expect(result.stderr).toContain("desired-state/hr/roster.csv:");

    await project.scimOk("DELETE", `/Users/${duplicate.id}`);
    const text = await project.run("inventory");
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/orphan\s+rogue\.admin@example\.com/);
    expect(text.stdout).toMatch(/unmanaged\s+rogue\.admin@example\.com holds group it-admins/);

    const { dir, result: planResult } = await planned(project, "plan");
    expect(planResult.code, planResult.stderr).toBe(0);
    const bundled = JSON.parse(await readFile(path.join(dir, "inventory.json"), "utf8")) as InventoryDocument;
    expect(bundled.targets[0]!.accounts.find((a) => a.userName === "rogue.admin@example.com")).toMatchObject({ class: "orphan" });
    expect((await project.run("evidence", "verify", dir)).code).toBe(0);
  });
});
