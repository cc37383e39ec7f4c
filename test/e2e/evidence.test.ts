import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { addDays } from "../../src/compile/dates.js";
import { todayIn } from "../../src/load/as-of.js";
import { personIn, planned } from "./support/plan.js";
import { sandboxSuite, TempProject } from "./support/project.js";

/**
 * Issue #5's scenario with the real engine and the sandbox: a joiner, a mover, a leaver and an
 * expiring grant read as such in plan.json and plan.md; a truncated roster is refused and
 * goes through only with a recorded override; evidence verify catches any changed byte; no
 * secret reaches the evidence or the state.
 */
describe("plans as audit evidence", () => {
  let project: TempProject;
  const yesterday = addDays(todayIn("Europe/Berlin"), -1);

  sandboxSuite(async (created) => {
    project = created;
    await project.ok("apply", "--yes");
  });

  const users = async () => (JSON.parse((await project.ok("sandbox", "ls", "--json")).stdout) as { users: { externalId: string }[] }).users.map((u) => u.externalId).sort();

  it("says who joins, moves, leaves and loses an expired grant, with reasons", async () => {
    await project.editRoster((row) => {
      if (row["Employee ID"] === "W1022") return { ...row, Department: "Marketing", "Cost Center": "CC-700" };
      if (row["Employee ID"] === "W1030") return { ...row, "Employment Status": "Terminated" };
      return row;
    });
    const roster = path.join(project.dir, "desired-state", "hr", "roster.csv");
    await writeFile(roster, (await readFile(roster, "utf8")) + "W2001,Maya,Ortiz,,,Sales,CC-300,London,Account Executive,W1003,Employee,Active,2024-05-01,\r\n");
    const grants = path.join(project.dir, "desired-state", "grants", "2026-q4.yaml");
    await writeFile(grants, (await readFile(grants, "utf8")).replace("granted: 2026-11-10\n    expires: 2027-01-31", `granted: ${addDays(yesterday, -30)}\n    expires: ${yesterday}`));

    const { plan, dir } = await planned(project, "plan");
    expect(plan.summary).toMatchObject({ joiners: 1, movers: 2, leavers: 1 });

    const joiner = personIn(plan, "W2001")!;
    expect(joiner.change).toBe("joiner");
    expect(joiner.gains.find((g) => g.item === "sales")!.because).toEqual([
      { role: "sales", privileged: false, reasons: [{ kind: "rule", rule: "sales", matched: { department: "Sales" } }] },
    ]);

    const mover = personIn(plan, "W1022")!;
    expect(mover.change).toBe("mover");
    expect(mover.gains.map((g) => g.item)).toEqual(["marketing"]);
    expect(mover.gains[0]!.because[0]!.reasons).toEqual([{ kind: "rule", rule: "marketing", matched: { department: "Marketing" } }]);
    // Explained by the rule that stopped matching, from the attributes the last apply recorded.
    expect(mover.losses.map((l) => [l.item, l.lost])).toEqual([["sales", [{ kind: "rule", rule: "sales", changed: [{ attribute: "department", from: "Sales", to: "Marketing" }] }]]]);

    const leaver = personIn(plan, "W1030")!;
    expect(leaver.change).toBe("leaver");
    expect(leaver.losses.map((l) => l.item).sort()).toEqual(["all-staff", "finance", "office-london"]);

    const granted = personIn(plan, "W1012")!;
    expect(granted.losses).toEqual([expect.objectContaining({ item: "finance", lost: [expect.objectContaining({ kind: "grant", grant: "fin-audit-support", status: "expired", expires: yesterday })] })]);

    const md = await readFile(path.join(dir, "plan.md"), "utf8");
    for (const needle of ["W2001", "W1022", "W1030", "W1012", "fin-audit-support", "`sales`"]) expect(md).toContain(needle);
    expect(md).toContain("scim group `sales` — rule `sales` stopped matching: department Sales → Marketing");
    expect(md.indexOf("oiner")).toBeLessThan(md.indexOf("W2001"));
  });

  it("applies exactly the plan, and evidence verify holds until one byte changes", async () => {
    const { dir, result } = await planned(project, "apply", "--yes");
    expect(result.code, result.stderr).toBe(0);
    expect(await users()).toContain("W2001");
    expect(await users()).not.toContain("W1030");

    expect((await project.run("evidence", "verify", dir)).code).toBe(0);

    const token = await project.sandboxToken();
    for (const name of await readdir(dir)) expect(await readFile(path.join(dir, name), "utf8"), `${name} holds the token`).not.toContain(token);
    const state = path.join(project.dir, ".rolecall", "state", ".pulumi", "stacks", "rolecall", "local.json");
    expect(await readFile(state, "utf8")).not.toContain(token);

    const roster = path.join(project.dir, "desired-state", "hr", "roster.csv");
    const original = await readFile(roster, "utf8");
    await writeFile(roster, original.replace("Maya", "Mayb"));
    const tampered = await project.run("evidence", "verify", dir);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain("hr/roster.csv");
    await writeFile(roster, original);

    const appliedFile = path.join(dir, "applied.json");
    const applied = await readFile(appliedFile, "utf8");
    await writeFile(appliedFile, applied.replace('"outcome": "done"', '"outcome": "failed"'));
    expect((await project.run("evidence", "verify", dir)).code).toBe(1);
    await writeFile(appliedFile, applied);
    expect((await project.run("evidence", "verify", dir)).code).toBe(0);
  });

  it("refuses a roster truncated to a tenth, applying nothing, and goes through only with a recorded override", async () => {
    const before = await users();
    // Workers the desired state names (role owners, grantees, approvers, service account
    // owners) stay: a reference to a worker missing from the export is an error of its own,
    // refused before any plan, and this case is about the guardrails.
    const referenced = new Set(["W1002", "W1003", "W1004", "W1005", "W1006", "W1007", "W1009", "W1012", "W1024", "W1026", "W1039"]);
    let kept = 0;
    await project.editRoster((row) => (kept++ % 10 === 0 || referenced.has(row["Employee ID"]!) ? row : undefined));
    const refused = await planned(project, "apply", "--yes");
    expect(refused.result.code).toBe(1);
    expect(refused.result.stderr).toMatch(/guardrail/);
    expect(refused.plan.guardrails.filter((g) => g.verdict === "fail").map((g) => g.name)).toEqual(
      expect.arrayContaining(["max-deprovision-count", "max-deprovision-percent", "max-roster-shrink"]),
    );
    expect(await users()).toEqual(before);

    const reason = "HR system migration: roster intentionally reduced for the test";
    const overridden = await planned(project, "apply", "--yes", "--allow-mass-deprovision", reason);
    expect(overridden.result.code, overridden.result.stderr).toBe(0);
    expect(overridden.plan.manifest.override).toBe(reason);
    expect(overridden.plan.guardrails.find((g) => g.name === "max-deprovision-percent")).toMatchObject({ verdict: "overridden" });
    expect((await users()).length).toBeLessThan(before.length / 2);
    expect((await project.run("evidence", "verify", overridden.dir)).code).toBe(0);
  });
});
