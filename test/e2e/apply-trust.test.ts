import { readdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppliedDocument } from "../../src/model/plan.js";
import { freePort } from "../support/scim2-server.js";
import { personIn, planned } from "./support/plan.js";
import { TempProject } from "./support/project.js";

interface Listing {
  users: { id: string; userName: string; externalId: string; active: boolean }[];
  groups: { id: string; displayName: string; members: string[] }[];
}

interface StateFile {
  checkpoint: { latest: { resources: { urn: string; protect?: boolean }[]; pending_operations?: unknown[] } };
}

/**
 * Issue #14's apply path with the real engine and the sandbox: the CLI's exit codes, a target
 * refusing one step while a leaver elsewhere is deprovisioned, the record after a failure,
 * and protected accounts from creation to deletion. One project; each step builds on the last.
 */
describe("an apply you can trust", () => {
  let project: TempProject;
  let port: number;
  const ls = async (): Promise<Listing> => JSON.parse((await project.ok("sandbox", "ls", "--json")).stdout) as Listing;
  const stateDir = () => path.join(project.dir, ".rolecall", "state", ".pulumi");
  const state = async () => JSON.parse(await readFile(path.join(stateDir(), "stacks", "rolecall", "local.json"), "utf8")) as StateFile;
  const applied = async (dir: string) => JSON.parse(await readFile(path.join(dir, "applied.json"), "utf8")) as AppliedDocument;
  const setProtected = async (ids: string[]) => {
    const file = path.join(project.dir, "desired-state", "policy.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replace(/^protected: .*$/m, `protected: [${ids.join(", ")}]`));
  };

  beforeAll(async () => {
    port = await freePort();
    project = await TempProject.create({ ROLECALL_SANDBOX_PORT: String(port) });
    await project.ok("apply", "--yes");
  });
  afterAll(async () => {
    await project.run("sandbox", "stop");
    await project.remove();
  });

  it("an unknown --stack says which stacks exist and writes nothing", async () => {
    const before = await readdir(path.join(project.dir, "stacks"));
    const result = await project.run("plan", "--stack", "prdo");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no stack 'prdo'.*local/);
    expect(await readdir(path.join(project.dir, "stacks"))).toEqual(before);
    expect((await readdir(path.join(stateDir(), "stacks", "rolecall"))).filter((f) => f.includes("prdo"))).toEqual([]);
  });

  it("a sandbox that cannot start (its port taken) exits 2 with the cause, not as rolecall's defect", async () => {
    await project.ok("sandbox", "stop");
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, "127.0.0.1", resolve));
    try {
      const result = await project.run("plan");
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/EADDRINUSE/);
      expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it("a declined (unattended, no --yes) apply with changes pending exits 3 and applies nothing", async () => {
    await project.editRoster((row) => (row["Employee ID"] === "W1010" ? { ...row, "Employment Status": "Terminated" } : row));
    const result = await project.run("apply");
    expect(result.code, result.stderr).toBe(3);
    expect((await ls()).users.map((u) => u.externalId)).toContain("W1010");
  });

  it("a target refusing one rename does not stop a leaver elsewhere; its message is in the output and applied.json", async () => {
    // Someone outside rolecall took the login W1011's rename needs: the sandbox answers 409.
    const squatter = (await project.scim("POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "kwame.okoro@example.com", externalId: "not-ours" })).body;
    // Logins follow names only by policy; by default W1011 would keep the old one.
    const policy = path.join(project.dir, "desired-state", "policy.yaml");
    await writeFile(policy, (await readFile(policy, "utf8")).replace(/^identity:\n/m, "identity:\n  renames: follow\n"));
    await project.editRoster((row) => (row["Employee ID"] === "W1011" ? { ...row, "Last Name": "Okoro" } : row));

    const { dir, result } = await planned(project, "apply", "--yes");
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toMatch(/W1011.*409/);
    expect(result.stderr).toMatch(/engine's whole output: \.rolecall\/logs\/\S+\.log/);
    expect(result.stderr.split("\n").length).toBeLessThan(60);
    expect(result.stderr).not.toMatch(/^\s+at .*\.js:\d+/m);

    expect((await ls()).users.map((u) => u.externalId)).not.toContain("W1010");
    const steps = (await applied(dir)).steps;
    const rename = steps.find((s) => s.urn.endsWith("User::W1011"))!;
    expect(rename).toMatchObject({ op: "update", outcome: "failed", error: expect.stringContaining("409") });
    expect(steps.find((s) => s.urn.endsWith("User::W1010"))).toMatchObject({ op: "delete", outcome: "done" });
    expect((await project.run("evidence", "verify", dir)).code).toBe(1);

    // The next plan still shows the rename; once the login is free, one apply converges.
    const next = await planned(project, "plan");
    expect(personIn(next.plan, "W1011")?.account).toEqual([expect.objectContaining({ op: "update" })]);
    await project.scim("DELETE", `/Users/${squatter!.id}`);
    await project.ok("apply", "--yes");
    expect((await ls()).users.find((u) => u.externalId === "W1011")?.userName).toBe("kwame.okoro@example.com");
    expect((await planned(project, "plan")).plan.people).toEqual([]);
    expect((await state()).checkpoint.latest.pending_operations ?? []).toEqual([]);
  }, 900_000);

  it("a failing rename strands no leaver in grace in a group they share, and the next plan lists every gain and privileged-grant risk not applied", async () => {
    // Renames follow names since the test before. W1012's new login is taken: its update fails,
    // and every group holding W1012 depends on it. W1013 leaves within a 30-day grace (disabled,
    // every membership removed) and W2002 joins the platform team (privileged) in the same run.
    const squatter = (await project.scim("POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "lena.nwosu@example.com", externalId: "not-ours" })).body;
    const policy = path.join(project.dir, "desired-state", "policy.yaml");
    const before = await readFile(policy, "utf8");
    const follow = /renames: follow/.test(before) ? before : before.replace(/^identity:\n/m, "identity:\n  renames: follow\n");
    await writeFile(policy, follow.replace(/leaverGraceDays: \d+/, "leaverGraceDays: 30"));
    const roster = path.join(project.dir, "desired-state", "hr", "roster.csv");
    await writeFile(roster, (await readFile(roster, "utf8")) + "W2002,Ines,Carvalho,,,Engineering,CC-200,Berlin,Software Engineer,W1009,Employee,Active,2024-05-01,\r\n");
    await project.editRoster((row) =>
      row["Employee ID"] === "W1012" ? { ...row, "Last Name": "Nwosu" } : row["Employee ID"] === "W1013" ? { ...row, "Employment Status": "Terminated", "Termination Date": "2026-11-30" } : row,
    );
    const start = await ls();
    const renamed = start.users.find((u) => u.externalId === "W1012")!;
    expect(start.groups.filter((g) => g.members.includes(renamed.userName)).map((g) => g.displayName)).toContain("All Staff");

    const { dir, result } = await planned(project, "apply", "--yes");
    expect(result.code, result.stderr).toBe(4);
    expect((await applied(dir)).steps.find((s) => s.urn.endsWith("User::W1012"))).toMatchObject({ outcome: "failed" });
    const live = await ls();
    const leaver = live.users.find((u) => u.externalId === "W1013")!;
    expect(leaver.active).toBe(false);
    expect(live.groups.filter((g) => g.members.includes(leaver.userName)).map((g) => g.displayName)).toEqual([]);

    // Whatever of W2002's access did not land, the next plan still shows, privileged risk included.
    const joiner = live.users.find((u) => u.externalId === "W2002");
    const holds = new Set(live.groups.filter((g) => joiner && g.members.includes(joiner.userName)).map((g) => g.displayName));
    const names: Record<string, string> = { "all-staff": "All Staff", engineering: "Engineering", "office-berlin": "Office Berlin", "platform-team": "Platform Team" };
    const pending = Object.keys(names).filter((key) => !holds.has(names[key]!));
    const next = await planned(project, "plan");
    expect((personIn(next.plan, "W2002")?.gains ?? []).filter((g) => g.target === "scim").map((g) => g.item).sort()).toEqual(pending);
    const privileged = next.plan.risks.filter((r) => r.code === "privileged-grant" && r.subject === "W2002");
    expect(privileged.map((r) => r.message)).toEqual(pending.includes("platform-team") ? ["W2002 gains privileged scim group platform-team"] : []);
    console.log(`after the failed apply W2002 holds ${[...holds].join(", ") || "nothing"}; pending: ${pending.join(", ") || "nothing"}`);

    await project.scim("DELETE", `/Users/${squatter!.id}`);
    await project.ok("apply", "--yes");
    await writeFile(policy, follow);
    expect((await planned(project, "plan")).plan.people.filter((p) => p.id === "W2002" || p.id === "W1012")).toEqual([]);
  }, 900_000);

  it("a protected person is created, then protected with no other change, then taken off the list and deleted in one apply", async () => {
    const roster = path.join(project.dir, "desired-state", "hr", "roster.csv");
    await writeFile(roster, (await readFile(roster, "utf8")) + "W2001,Maya,Ortiz,,,Engineering,CC-200,Berlin,Site Reliability Engineer,W1009,Employee,Active,2024-05-01,\r\n");
    await setProtected(["W2001"]);
    const created = await planned(project, "apply", "--yes");
    expect(created.result.code, created.result.stderr).toBe(0);
    expect((await ls()).users.map((u) => u.externalId)).toContain("W2001");
    const userIn = async () => (await state()).checkpoint.latest.resources.find((r) => r.urn.endsWith("User::W2001"))!;
    expect((await userIn()).protect).toBe(true);

    // Protection added with nothing else changing still reaches the state.
    await setProtected([]);
    await project.ok("apply", "--yes");
    expect((await userIn()).protect ?? false).toBe(false);
    await setProtected(["W2001"]);
    // Unattended without --yes, a protect-only change is pending like any other: exit 3, state untouched.
    expect((await project.run("apply")).code).toBe(3);
    expect((await userIn()).protect ?? false).toBe(false);
    await project.ok("apply", "--yes");
    expect((await userIn()).protect).toBe(true);

    // Leaving while protected is refused, from policy; off the list, the same apply deletes.
    await project.editRoster((row) => (row["Employee ID"] === "W2001" ? { ...row, "Employment Status": "Terminated" } : row));
    const refused = await planned(project, "apply", "--yes");
    expect(refused.result.code).toBe(1);
    expect(refused.plan.guardrails.find((g) => g.name === "protected-accounts")?.verdict).toBe("fail");
    await setProtected([]);
    const deleted = await planned(project, "apply", "--yes");
    expect(deleted.result.code, deleted.result.stderr).toBe(0);
    expect((await ls()).users.map((u) => u.externalId)).not.toContain("W2001");
  });

  it("a protected worker missing from the roster is refused, judged from policy", async () => {
    await setProtected(["W9999"]);
    const result = await project.run("plan");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/policy\.yaml:\d+.*W9999/);
    await setProtected([]);
  });
});
