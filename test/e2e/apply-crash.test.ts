import { execFile, spawn } from "node:child_process";
import { readdir, readFile, readlink } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { planned } from "./support/plan.js";
import { sandboxSuite, TempProject } from "./support/project.js";

/**
 * A kill -9 mid-apply of each process involved — rolecall, the engine, the SCIM provider —
 * followed by a plain `apply` that recovers by itself: the sandbox holds exactly what is
 * declared, the next plan is empty, no operation is left pending, no process is left behind.
 * Each round empties the sandbox first, so the apply has every account to create again.
 */
describe("an apply killed mid-way recovers on the next apply", () => {
  let project: TempProject;

  sandboxSuite(async (created) => {
    project = created;
    await project.ok("apply", "--yes");
  });

  /** Processes of this project: by command line or working directory, the sandbox daemon aside. */
  const leftovers = async (): Promise<string[]> => {
    const found: string[] = [];
    for (const pid of await readdir("/proc").then((names) => names.filter((n) => /^\d+$/.test(n)))) {
      const cmd = await readFile(`/proc/${pid}/cmdline`, "utf8").then((c) => c.replaceAll("\0", " "), () => "");
      const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => "");
      if (!(cmd.includes(project.dir) || cwd.startsWith(project.dir)) || cmd.includes("sandbox/main.js") || cmd.includes("sandbox start")) continue;
      found.push(`${pid} ${cmd.slice(0, 120)}`);
    }
    return found;
  };
  const children = async (pid: number): Promise<{ pid: number; cmd: string }[]> => {
    const { stdout } = await promisify(execFile)("ps", ["-eo", "pid=,ppid=,args="]);
    const rows = stdout.split("\n").map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)).filter((m): m is RegExpExecArray => m !== null);
    const out: { pid: number; cmd: string }[] = [];
    const walk = (parent: number) => {
      for (const r of rows) if (Number(r[2]) === parent) {
        out.push({ pid: Number(r[1]), cmd: r[3]! });
        walk(Number(r[1]));
      }
    };
    walk(pid);
    return out;
  };
  const waitFor = async (check: () => Promise<boolean>, ms: number, every = 500) => {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, every))) if (await check()) return true;
    return false;
  };

  // SIGINT is the engine's own cancel: it stops answering the program's registrations, and the
  // program must end rather than wait on them forever (src/targets/waves.ts).
  const rounds = [
    ["rolecall", "SIGKILL"],
    ["engine", "SIGKILL"],
    ["provider", "SIGKILL"],
    ["engine", "SIGINT"],
  ] as const;
  for (const [victim, signal] of rounds) {
    it(`after a ${signal === "SIGKILL" ? "kill -9" : signal} of ${victim} mid-apply, a plain apply converges`, async () => {
      await project.ok("sandbox", "reset");
      const child = spawn(process.execPath, [path.join(project.dir, "bin", "rolecall.js"), "apply", "--yes"], { cwd: project.dir, env: { ...process.env, ...project.env, NO_COLOR: "1" }, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      // Mid-apply: some accounts created, not all.
      expect(await waitFor(async () => /applying stack/.test(stderr) && (await sandboxCount()) >= 5, 300_000, 50), stderr).toBe(true);
      const tree = await children(child.pid!);
      const target =
        victim === "rolecall" ? child.pid! : victim === "engine" ? tree.find((p) => /pulumi up /.test(p.cmd))?.pid : tree.find((p) => /scim\/provider\/main\.js/.test(p.cmd))?.pid;
      expect(target, `${victim} among ${JSON.stringify(tree)}`).toBeDefined();
      process.kill(target!, signal);
      const code = await Promise.race([exited, new Promise<"running">((r) => setTimeout(() => r("running"), 180_000))]);
      expect(code, `rolecall 3 minutes after a ${signal} of ${victim}:\n${stderr}`).not.toBe("running");
      if (signal === "SIGINT") {
        expect(code, stderr).toBe(4);
        expect(stderr).toMatch(/the update failed: \d+ of \d+ steps done/);
      }
      expect(await waitFor(async () => (await leftovers()).length === 0, 60_000), `left behind: ${(await leftovers()).join("\n")}`).toBe(true);

      // What the kill left behind — a lock of a dead process, pending operations — the recovery says it put right.
      const stateFile = path.join(project.dir, ".rolecall", "state", ".pulumi", "stacks", "rolecall", "local.json");
      const left = JSON.parse(await readFile(stateFile, "utf8")) as { checkpoint: { latest: { pending_operations?: unknown[] } } };
      const pendingLeft = (left.checkpoint.latest.pending_operations ?? []).length;
      const locks = await readdir(path.join(project.dir, ".rolecall", "state", ".pulumi", "locks", "organization", "rolecall", "local")).then((names) => names.filter((n) => n.endsWith(".json")), () => []);
      // Before recovering: a plan shows every gain the killed run did not make, and each privileged one as a risk.
      const check = await planned(project, "plan");
      expect(check.result.code, check.result.stderr).toBe(0);
      const missing = await missingMemberships();
      // An interrupted engine cancels the provider's requests, and rolecall applies what that skipped on its own: little or nothing is left.
      if (signal === "SIGKILL") expect(missing.length, "the kill left every membership in place: the check proves nothing").toBeGreaterThan(0);
      const gains = check.plan.people.flatMap((p) => p.gains.filter((g) => g.target === "scim").map((g) => `${p.id} ${g.item}`));
      expect(gains.sort()).toEqual(missing.map((m) => `${m.id} ${m.key}`).sort());
      const privileged = check.plan.risks.filter((r) => r.code === "privileged-grant").map((r) => r.message);
      expect(privileged.sort()).toEqual(missing.filter((m) => PRIVILEGED.has(m.key)).map((m) => `${m.id} gains privileged scim group ${m.key}`).sort());

      const { dir, result: recovery } = await planned(project, "apply", "--yes");
      expect(recovery.code, recovery.stderr).toBe(0);
      const said = [check.result.stderr, recovery.stderr].join("\n").split("\n").filter((l) => l.includes("recovered: "));
      if (pendingLeft > 0) expect(said.join("\n")).toMatch(new RegExp(`an interrupted update had left ${pendingLeft} operations? pending`));
      if (locks.length > 0) expect(said.join("\n")).toMatch(/released the stack's lock left by pid \d+/);
      // The cancelled run may have applied everything itself (its second pass for the steps the
      // cancel skipped): an apply with nothing left to do writes no applied.json, and then must
      // have had nothing to recover either, or that would be missing from the evidence.
      const record = (await readFile(path.join(dir, "applied.json"), "utf8").then(JSON.parse, () => ({}))) as { recovered?: string[] };
      const ownLines = recovery.stderr.split("\n").filter((l) => l.includes("recovered: "));
      expect(record.recovered ?? []).toEqual(ownLines.map((l) => l.slice(l.indexOf("recovered: ") + "recovered: ".length)));
      expect((await planned(project, "plan")).plan.people).toEqual([]);
      // What the killed run created was adopted, not created twice.
      const listed = JSON.parse((await project.ok("sandbox", "ls", "--json")).stdout) as { users: { externalId: string }[]; groups: { displayName: string }[] };
      const duplicates = (keys: string[]) => keys.filter((k, i) => keys.indexOf(k) !== i);
      expect(duplicates(listed.users.map((u) => u.externalId))).toEqual([]);
      expect(duplicates(listed.groups.map((g) => g.displayName))).toEqual([]);
      const state = JSON.parse(await readFile(stateFile, "utf8")) as { checkpoint: { latest: { pending_operations?: unknown[] } } };
      expect(state.checkpoint.latest.pending_operations ?? []).toEqual([]);
      expect(await leftovers()).toEqual([]);
    }, 900_000);
  }

  /** The sample's privileged SCIM groups (roles it-admin and platform-engineer). */
  const PRIVILEGED = new Set(["it-admins", "platform-team"]);

  /** Every SCIM membership the compiled desired state declares that the sandbox does not hold. */
  async function missingMemberships(): Promise<{ id: string; key: string }[]> {
    const desired = JSON.parse((await project.ok("compile")).stdout) as { targets: { scim: { users: { key: string; userName: string }[]; groups: { key: string; displayName: string; members: { user: string }[] }[] } } };
    const live = JSON.parse((await project.ok("sandbox", "ls", "--json")).stdout) as { groups: { displayName: string; members: string[] }[] };
    const login = new Map(desired.targets.scim.users.map((u) => [u.key, u.userName]));
    return desired.targets.scim.groups.flatMap((g) => {
      const held = new Set(live.groups.find((l) => l.displayName === g.displayName)?.members ?? []);
      return g.members.filter((m) => !held.has(login.get(m.user)!)).map((m) => ({ id: m.user, key: g.key }));
    });
  }

  /** Straight from the sandbox's API: a CLI call per poll is slower than the apply it is watching. */
  async function sandboxCount(): Promise<number> {
    const answer = await project.scim<{ totalResults: number }>("GET", "/Users?count=1").catch(() => undefined);
    return answer && answer.status >= 200 && answer.status < 300 ? answer.body!.totalResults : 0;
  }
});
