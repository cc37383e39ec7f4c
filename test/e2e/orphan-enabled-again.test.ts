import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planned } from "./support/plan.js";
import { patchOp, sandboxSuite, TempProject } from "./support/project.js";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

interface ScimUser {
  id: string;
  active?: boolean;
}

/**
 * An orphan disabled under policy stays disabled: someone enabling it again by hand is seen by
 * the next run — scoped or whole — and undone, as the plan said it would be.
 */
describe("an orphan enabled again by hand, end to end on the sandbox", () => {
  let project: TempProject;

  sandboxSuite(async (created) => {
    project = created;
    await project.ok("sandbox", "start");
  });

  it("is disabled again by the next apply, and the plan before it says so", async () => {
    const rogue = (await project.scimOk<ScimUser>("POST", "/Users", { schemas: [USER], userName: "rogue.admin@example.com" }))!;
    const policyFile = path.join(project.dir, "desired-state", "policy.yaml");
    await writeFile(policyFile, (await readFile(policyFile, "utf8")) + "orphans:\n  scim:\n    action: disable\n");
    const account = async () => (await project.scimOk<ScimUser>("GET", `/Users/${rogue.id}`))!;

    const first = await planned(project, "apply", "--yes");
    expect(first.result.code, first.result.stderr).toBe(0);
    expect(first.plan.summary.orphansDisabled).toBe(1);
    expect((await account()).active).toBe(false);
    const quiet = await planned(project, "plan");
    expect(quiet.plan.summary.orphansDisabled).toBe(0);

    await project.scimOk("PATCH", `/Users/${rogue.id}`, patchOp({ op: "replace", path: "active", value: true }));
    for (const mode of [[], ["--every-resource"]]) {
      const seen = await planned(project, "plan", ...mode);
      expect(seen.result.code, seen.result.stderr).toBe(0);
      expect(seen.plan.summary.orphansDisabled, `plan ${mode.join(" ")}`).toBe(1);
    }
    const again = await planned(project, "apply", "--yes");
    expect(again.result.code, again.result.stderr).toBe(0);
    expect(again.plan.summary.orphansDisabled).toBe(1);
    expect((await account()).active).toBe(false);
    expect((await planned(project, "plan")).plan.summary.orphansDisabled).toBe(0);
  });
});
