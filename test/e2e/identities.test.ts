import { appendFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { addDays } from "../../src/compile/dates.js";
import { todayIn } from "../../src/load/as-of.js";
import { personIn, planned } from "./support/plan.js";
import { sandboxSuite, TempProject } from "./support/project.js";

interface Listing {
  users: { id: string; userName: string; externalId: string; active: boolean }[];
}

/**
 * Logins that never move, with the real engine and the sandbox, in one project and a sequence
 * of applies: two namesakes, the senior one leaves while a third namesake is hired, then the
 * leaver is rehired. Nobody is renamed, the leaver's account is gone, the newcomer never gets
 * the leaver's login, the rehire gets theirs back, and every next plan is empty.
 */
describe("identities that never move", () => {
  let project: TempProject;
  const today = todayIn("Europe/Berlin");
  const row = (id: string, status: string, hired: string, ended = "") => `${id},Quinn,Namesake,,,Engineering,CC-200,Berlin,Engineer,W1002,Employee,${status},${hired},${ended}\r\n`;
  const roster = () => path.join(project.dir, "desired-state", "hr", "roster.csv");
  const userNames = async () =>
    Object.fromEntries(
      (JSON.parse((await project.ok("sandbox", "ls", "--json")).stdout) as Listing).users.filter((u) => u.userName.startsWith("quinn.")).map((u) => [u.externalId, u.userName]),
    );
  const expectNothingPlanned = async () => {
    const { plan } = await planned(project, "plan");
    expect(plan.people).toEqual([]);
    expect(plan.groups).toEqual([]);
  };

  sandboxSuite(async (created) => {
    project = created;
    await appendFile(roster(), row("W3001", "Active", "2019-02-01") + row("W3002", "Active", "2023-05-01"));
    await project.ok("apply", "--yes");
  });

  it("the senior namesake gets the plain login, the junior the suffix", async () => {
    expect(await userNames()).toEqual({ W3001: "quinn.namesake@example.com", W3002: "quinn.namesake2@example.com" });
  });

  it("the senior one leaves and a new namesake joins: nobody is renamed, the leaver is gone, the newcomer never gets the leaver's login", async () => {
    await project.editRoster((r) => (r["Employee ID"] === "W3001" ? { ...r, "Employment Status": "Terminated", "Termination Date": addDays(today, -1) } : r));
    await appendFile(roster(), row("W3003", "Active", addDays(today, -2)));
    const { plan } = await planned(project, "plan");
    expect(personIn(plan, "W3002"), "the junior namesake is not touched").toBeUndefined();
    expect(personIn(plan, "W3001")).toMatchObject({ change: "leaver", account: [{ target: "scim", op: "delete" }] });
    expect(personIn(plan, "W3003")).toMatchObject({ change: "joiner", email: "quinn.namesake3@example.com" });

    const applied = await project.run("apply", "--yes");
    expect(applied.code, applied.stderr).toBe(0);
    expect(await userNames()).toEqual({ W3002: "quinn.namesake2@example.com", W3003: "quinn.namesake3@example.com" });
    await expectNothingPlanned();
  });

  it("a rehire gets the old login back, and still nobody else moves", async () => {
    await project.editRoster((r) => (r["Employee ID"] === "W3001" ? { ...r, "Employment Status": "Active", "Hire Date": addDays(today, -1), "Termination Date": "" } : r));
    const { plan } = await planned(project, "plan");
    expect(plan.people.map((p) => [p.id, p.change, p.email])).toEqual([["W3001", "joiner", "quinn.namesake@example.com"]]);
    await project.ok("apply", "--yes");
    expect(await userNames()).toEqual({ W3001: "quinn.namesake@example.com", W3002: "quinn.namesake2@example.com", W3003: "quinn.namesake3@example.com" });
    await expectNothingPlanned();
  });

  it("compile --against the stack gives the applied logins; without it, the roster alone decides", async () => {
    const against = JSON.parse((await project.ok("compile", "--against", "local")).stdout) as { people: { id: string; email: string }[] };
    expect(against.people.filter((p) => p.id.startsWith("W300")).map((p) => [p.id, p.email])).toEqual([
      ["W3001", "quinn.namesake@example.com"],
      ["W3002", "quinn.namesake2@example.com"],
      ["W3003", "quinn.namesake3@example.com"],
    ]);
    // From the roster alone the rehire counts as the newest arrival: what plan and apply never do.
    const alone = JSON.parse((await project.ok("compile")).stdout) as { people: { id: string; email: string }[] };
    expect(alone.people.find((p) => p.id === "W3002")!.email).toBe("quinn.namesake@example.com");
  });
});
