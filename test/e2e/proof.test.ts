import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { InventoryDocument } from "../../src/model/inventory.js";
import type { OffboardingProof } from "../../src/model/offboarding.js";
import { planned } from "./support/plan.js";
import { sandboxSuite, TempProject } from "./support/project.js";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

/**
 * The closed-loop offboarding proof of a full apply, with the real engine against the
 * sandbox: a leaver read back live and proven gone (offboarding.json, inventory.json, plan.md,
 * evidence verify — which fails on a tampered or missing proof); then a leaver with a
 * duplicate account made by hand, holding a group made by hand, fails the apply with exit 5
 * naming person, target, account and group.
 */
describe("the offboarding proof after apply, end to end", () => {
  let project: TempProject;
  const terminate = (id: string) => project.editRoster((row) => (row["Employee ID"] === id ? { ...row, "Employment Status": "Terminated" } : row));
  const proofIn = async (dir: string) => JSON.parse(await readFile(path.join(dir, "offboarding.json"), "utf8")) as OffboardingProof;

  sandboxSuite(async (created) => {
    project = created;
    await project.ok("apply", "--yes");
  });

  it("proves a leaver gone from every target, in offboarding.json, plan.md and the terminal; verify fails a tampered or missing proof", async () => {
    await terminate("W1010");
    const { plan, dir, result } = await planned(project, "apply", "--yes");
    expect(result.code, result.stderr).toBe(0);
    const proof = await proofIn(dir);
    expect(proof).toMatchObject({ schemaVersion: 2, stack: "local", planDigest: plan.digest, verdict: "proven", proven: true, unread: [] });
    expect(proof.readBack).toBeUndefined();
    const w1010 = proof.people.find((p) => p.id === "W1010")!;
    expect(w1010).toMatchObject({ kind: "person", state: "leaver", verdict: "proven" });
    expect(w1010.targets).toEqual([{ target: "scim", verdict: "proven", checkedAt: expect.any(String), expected: "absent", accounts: [], remaining: [], kept: [], problems: [] }]);
    expect(Date.parse(w1010.targets[0]!.checkedAt!)).toBeGreaterThan(Date.parse(plan.manifest.createdAt));
    expect(result.stdout).toMatch(/Offboarding proof: proven for \d+ identit(y|ies) \([^)]*W1010/);

    // One live read, after the update, serves inventory.json too.
    const inventory = JSON.parse(await readFile(path.join(dir, "inventory.json"), "utf8")) as InventoryDocument;
    expect(inventory.targets.map((t) => t.target)).toEqual(["scim"]);
    expect(inventory.targets[0]!.readAt).toBe(w1010.targets[0]!.checkedAt);
    expect(inventory.targets[0]!.accounts.some((a) => a.identity === "W1010")).toBe(false);
    expect(await readFile(path.join(dir, "plan.md"), "utf8")).toMatch(/### Offboarding proof[\s\S]*✅ proven[\s\S]*`W1010`/);
    expect(await readFile(path.join(dir, "plan.html"), "utf8")).toContain(`id="offboarding"`);
    expect((await project.run("evidence", "verify", dir)).code).toBe(0);

    const copy = async () => {
      const to = await mkdtemp(path.join(os.tmpdir(), "rolecall-tampered-"));
      await cp(dir, to, { recursive: true });
      return to;
    };
    const tampered = await copy();
    const file = path.join(tampered, "offboarding.json");
    await writeFile(file, (await readFile(file, "utf8")).replace(/"remaining": \[\]/, '"remaining": [ ]'));
    const edited = await project.run("evidence", "verify", tampered);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toMatch(/offboarding\.json was changed after it was written/);

    const missing = await copy();
    await rm(path.join(missing, "offboarding.json"));
    const gone = await project.run("evidence", "verify", missing);
    expect(gone.code).toBe(1);
    expect(gone.stdout).toMatch(/offboarding\.json is missing/);
    await Promise.all([rm(tampered, { recursive: true }), rm(missing, { recursive: true })]);
  });

  it("fails the apply with exit 5 when a leaver keeps a duplicate account made by hand holding a group, naming person, target, account and group", async () => {
    // Kwame Mensah's email (the sample's template): a second account nobody linked to W1011.
    const duplicate = (await project.scimOk("POST", "/Users", { schemas: [USER], userName: "kwame-by-hand", emails: [{ value: "Kwame.Mensah@example.com" }] }))!;
    // A catalog group's members are put back by the apply itself; a group made by hand is not rolecall's to touch.
    await project.scimOk("POST", "/Groups", { schemas: [GROUP], displayName: "Shadow Admins", members: [{ value: duplicate.id }] });

    await terminate("W1011");
    const { dir, result } = await planned(project, "apply", "--yes");
    expect(result.code, result.stderr).toBe(5);
    expect(result.stderr).toMatch(/offboarding not proven[\s\S]*W1011 in scim: failed — account kwame-by-hand .*still present and enabled.*still holds group Shadow Admins \(not in the catalog\)/);
    const proof = await proofIn(dir);
    expect(proof).toMatchObject({ verdict: "failed", proven: false });
    const scim = proof.people.find((p) => p.id === "W1011")!.targets[0]!;
    expect(scim.accounts).toEqual([expect.objectContaining({ id: duplicate.id, userName: "kwame-by-hand" })]);
    expect(scim.remaining).toEqual([{ account: duplicate.id, kind: "group", item: "Shadow Admins", inCatalog: false }]);
    expect(await readFile(path.join(dir, "plan.md"), "utf8")).toMatch(/❌ failed[\s\S]*`W1011`/);
    const verify = await project.run("evidence", "verify", dir);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/not proven \(failed\): W1011/);
  });
});
