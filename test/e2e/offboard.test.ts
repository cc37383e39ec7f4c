import { spawn, type ChildProcess } from "node:child_process";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeRecord } from "../../src/engine/state-sync.js";
import type { OffboardingProof } from "../../src/model/offboarding.js";
import type { AppliedDocument } from "../../src/model/plan.js";
import { freePort } from "../support/scim2-server.js";
import { personIn, planned } from "./support/plan.js";
import { TempProject } from "./support/project.js";

interface Listing {
  users: { externalId: string; userName: string; active: boolean }[];
  groups: { displayName: string; members: string[] }[];
}

/**
 * The leaver fast path with the real engine against the sandbox: a leaver is revoked while a
 * mover's change and a joiner wait for the full run, with evidence and a read-back proof; and
 * `watch` revokes a leaver written to the HR export within its interval.
 */
describe("rolecall offboard and watch, end to end", () => {
  let project: TempProject;
  let watcher: ChildProcess | undefined;
  const ls = async (): Promise<Listing> => JSON.parse((await project.ok("sandbox", "ls", "--json")).stdout) as Listing;
  const groupsOf = (listing: Listing, userName: string) => listing.groups.filter((g) => g.members.includes(userName)).map((g) => g.displayName).sort();
  const userOf = (listing: Listing, id: string) => listing.users.find((u) => u.externalId === id);
  const terminate = (id: string) => project.editRoster((row) => (row["Employee ID"] === id ? { ...row, "Employment Status": "Terminated" } : row));

  beforeAll(async () => {
    project = await TempProject.create({ ROLECALL_SANDBOX_PORT: String(await freePort()) });
    await project.ok("apply", "--yes");
  });
  afterAll(async () => {
    if (watcher && watcher.exitCode === null) {
      watcher.kill("SIGTERM");
      await new Promise((resolve) => watcher!.once("exit", resolve));
    }
    await project.run("sandbox", "stop");
    await project.remove();
  });

  it("keeps no SCIM token in the state: the provider takes it from the engine's environment", async () => {
    const state = JSON.parse(await readFile(path.join(project.dir, ".rolecall", "state", ".pulumi", "stacks", "rolecall", "local.json"), "utf8")) as {
      checkpoint: { latest: { resources: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] } };
    };
    const providers = state.checkpoint.latest.resources.filter((r) => r.type === "pulumi:providers:rolecall-scim");
    expect(providers).toHaveLength(1);
    expect(Object.keys(providers[0]!.inputs ?? {})).not.toContain("token");
    expect(Object.keys(providers[0]!.outputs ?? {})).not.toContain("token");
  });

  it("with nothing to revoke, writes its evidence and changes nothing without walking the stack", async () => {
    const before = await ls();
    const { plan, dir, result } = await planned(project, "offboard", "--yes");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("nothing to revoke");
    expect(plan.manifest.fastPath).toBe("offboard");
    expect(plan.people).toEqual([]);
    // No engine step at all, not even the `same` ones a preview of the whole stack reports.
    expect(plan.summary.steps).toEqual({});
    const proof = JSON.parse(await readFile(path.join(dir, "offboarding.json"), "utf8")) as OffboardingProof;
    expect(proof.people).toEqual([]);
    expect(await ls()).toEqual(before);
  });

  it("revokes a leaver and leaves a mover's change and a joiner for the next full run, with evidence and proof", async () => {
    const before = await ls();
    const leaver = userOf(before, "W1010")!;
    const mover = userOf(before, "W1018")!;
    expect(groupsOf(before, leaver.userName).length).toBeGreaterThan(0);
    const moverGroups = groupsOf(before, mover.userName);

    await terminate("W1010");
    await project.editRoster((row) => (row["Employee ID"] === "W1018" ? { ...row, Department: "Sales", "Job Title": "Account Executive" } : row));
    const roster = path.join(project.dir, "desired-state", "hr", "roster.csv");
    const eol = (await readFile(roster, "utf8")).includes("\r\n") ? "\r\n" : "\n";
    await appendFile(roster, `W1099,Tilde,Nyberg,,,Engineering,CC-200,Berlin,Software Engineer,W1002,Employee,Active,2025-01-06,${eol}`);

    const { plan, dir, result } = await planned(project, "offboard", "--yes");
    expect(result.code, result.stderr).toBe(0);
    expect(plan.manifest.fastPath).toBe("offboard");
    expect(plan.people.map((p) => [p.id, p.change])).toEqual([["W1010", "leaver"]]);
    expect(plan.groups.every((g) => g.added.length === 0 && g.removed.every((u) => u === "W1010"))).toBe(true);

    const after = await ls();
    expect(userOf(after, "W1010")).toBeUndefined();
    expect(after.groups.flatMap((g) => g.members)).not.toContain(leaver.userName);
    expect(groupsOf(after, mover.userName)).toEqual(moverGroups);
    expect(userOf(after, "W1099")).toBeUndefined();

    const applied = JSON.parse(await readFile(path.join(dir, "applied.json"), "utf8")) as AppliedDocument;
    expect(applied).toMatchObject({ result: "succeeded", planDigest: plan.digest });
    const proof = JSON.parse(await readFile(path.join(dir, "offboarding.json"), "utf8")) as OffboardingProof;
    expect(proof).toMatchObject({ proven: true, verdict: "proven", planDigest: plan.digest, readBack: { proven: true, differences: [] } });
    expect(proof.people).toEqual([expect.objectContaining({ id: "W1010", state: "leaver", verdict: "proven", revoked: expect.objectContaining({ accounts: { scim: "deleted" } }) })]);
    expect(proof.people[0]!.targets).toEqual([expect.objectContaining({ target: "scim", verdict: "proven", expected: "absent", accounts: [], remaining: [] })]);
    expect((await project.ok("evidence", "verify", dir)).code).toBe(0);

    // What the fast path left is exactly the full run's: the mover and the joiner.
    const next = await planned(project, "plan");
    expect(next.plan.people.map((p) => [p.id, p.change]).sort()).toEqual([
      ["W1018", "mover"],
      ["W1099", "joiner"],
    ]);
    expect(personIn(next.plan, "W1010")).toBeUndefined();
  });

  it("revokes a leaver in a group whose rename is pending and leaves the rename for the full run; a record without item fields refuses instead", async () => {
    // The leaver's group is renamed in the same change: the rename must not ride along.
    const catalog = path.join(project.dir, "desired-state", "catalog.yaml");
    const text = await readFile(catalog, "utf8");
    await writeFile(catalog, text.replace("all-staff: { displayName: All Staff }", "all-staff: { displayName: All Staff (renamed) }"));
    const state = path.join(project.dir, ".rolecall", "state", ".pulumi", "stacks", "rolecall", "local.json");
    const checkpoint = await readFile(state, "utf8");
    try {
      await terminate("W1011");
      const before = await ls();

      // A stack last applied before the record kept item fields: today's catalog is declared,
      // the rename shows in the preview, and nothing is applied until a full run.
      const old = JSON.parse(checkpoint) as { checkpoint: { latest: { resources: { type: string; outputs?: { rolecall?: string } }[] } } };
      const root = old.checkpoint.latest.resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
      const record = decodeRecord(root.outputs!.rolecall!) as Record<string, unknown>;
      expect(record.items).toBeDefined();
      delete record.items;
      // As such a stack holds it: plain JSON text, from before the record was compressed.
      root.outputs!.rolecall = JSON.stringify(record);
      await writeFile(state, JSON.stringify(old));
      const refused = await planned(project, "offboard", "--yes");
      expect(refused.result.code, refused.result.stderr).toBe(1);
      expect(refused.result.stderr).toMatch(/more than revocations[\s\S]*all-staff: changes displayName[\s\S]*keeps no fields of scim group:all-staff[\s\S]*run `rolecall apply` once/);
      expect(await ls()).toEqual(before);

      // The record as an apply now writes it: the group is declared as applied, less the leaver.
      await writeFile(state, checkpoint);
      const { plan, dir, result } = await planned(project, "offboard", "--yes");
      expect(result.code, result.stderr).toBe(0);
      expect(plan.people.map((p) => [p.id, p.change])).toEqual([["W1011", "leaver"]]);
      expect(plan.groups.find((g) => g.key === "group:all-staff")).toMatchObject({ op: "update", added: [], removed: ["W1011"] });
      const after = await ls();
      const leaver = userOf(before, "W1011")!;
      expect(userOf(after, "W1011")).toBeUndefined();
      expect(after.groups.flatMap((g) => g.members)).not.toContain(leaver.userName);
      const names = after.groups.map((g) => g.displayName);
      expect(names).toContain("All Staff");
      expect(names).not.toContain("All Staff (renamed)");
      const proof = JSON.parse(await readFile(path.join(dir, "offboarding.json"), "utf8")) as OffboardingProof;
      expect(proof).toMatchObject({ proven: true, readBack: { proven: true, differences: [] } });

      // The rename is the full run's: the next plan still has it.
      const next = await planned(project, "plan");
      expect(next.plan.steps.find((s) => s.name === "all-staff" && s.op === "update")?.diffs).toContain("displayName");
    } finally {
      await writeFile(catalog, text);
    }
  });

  it("watch revokes a leaver written to the HR export within its interval", async () => {
    const interval = 2;
    const settle = 1;
    // A leaver pending before the watch starts: its first run takes it.
    await terminate("W1012");
    const child = spawn(process.execPath, [path.join(project.dir, "bin", "rolecall.js"), "watch", "--interval", String(interval), "--settle", String(settle)], {
      cwd: project.dir,
      env: { ...process.env, ...project.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    watcher = child;
    let output = "";
    // When each of the watch's own lines was seen, to time its runs from the outside.
    const seen: { at: number; line: string }[] = [];
    const collect = (d: Buffer) => {
      output += d.toString();
      const at = Date.now();
      for (const line of d.toString().split("\n")) if (line.trim()) seen.push({ at, line });
    };
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
    const when = (pattern: RegExp, after = 0) => seen.find((s) => s.at >= after && pattern.test(s.line))?.at;
    const waitFor = async (done: () => Promise<boolean>, what: string, ms: number) => {
      for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 500))) if (await done()) return;
      throw new Error(`timed out waiting for ${what}\n${output}`);
    };
    await waitFor(async () => when(/offboard exited 0/) !== undefined, "the watch's first run", 180_000);
    expect(userOf(await ls(), "W1012")).toBeUndefined();
    // One fast-path run on this machine, as the watch's first run took it: the same work (one
    // leaver's account deleted and memberships removed), in the same kind of process.
    const oneRun = (when(/offboard exited 0/)! - when(/starting .*running offboard/)!) / 1000;

    const changed = Date.now();
    await terminate("W1013");
    // The bound, generous for a loaded 2-core machine but far below the next full run (hourly):
    // noticing takes at most one interval, plus the settle time and one more interval when the
    // change was younger than the settle time at that poll; then one fast-path run, counted
    // twice, plus 20 s. A watch that stops polling, or leaves the leaver to the full run, misses it.
    const noticeBound = 2 * interval + settle + 3;
    const bound = noticeBound + 2 * oneRun + 20;
    await waitFor(async () => userOf(await ls(), "W1013") === undefined, "W1013's account to go", (bound + 60) * 1000);
    const seconds = (Date.now() - changed) / 1000;
    const noticed = when(/the HR export changed/, changed);
    expect(noticed, output).toBeDefined();
    const noticeSeconds = (noticed! - changed) / 1000;
    process.stderr.write(
      `watch: HR change to account deleted in ${seconds.toFixed(1)} s (noticed after ${noticeSeconds.toFixed(1)} s; one fast-path run ${oneRun.toFixed(1)} s; bound ${bound.toFixed(1)} s)\n`,
    );
    expect(noticeSeconds).toBeLessThanOrEqual(noticeBound);
    expect(seconds).toBeLessThanOrEqual(bound);

    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
  });
});
