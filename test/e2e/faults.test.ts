import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayIn } from "../../src/load/as-of.js";
import { compile } from "../../src/compile/compile.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import { FAULT_KINDS, startFaultProxy, type FaultProxy } from "../support/fault-proxy.js";
import { freePort } from "../support/scim2-server.js";
import { planned } from "./support/plan.js";
import { TempProject } from "./support/project.js";

interface ScimList<T> {
  totalResults: number;
  Resources?: T[];
}
interface LiveUser {
  id: string;
  externalId?: string;
}
interface LiveGroup {
  id: string;
  displayName: string;
  members?: { value: string }[];
}

/** Retries wait out Retry-After and backoff on purpose; on a shared 2-core machine that takes minutes. */
const APPLY_TIMEOUT_MS = 900_000;

/**
 * Watches the sandbox directly (not through the proxy) while an apply runs, and records every
 * membership it ever saw and every one that later vanished: the proof that no group that had
 * gained a member ever lost them, even for a moment.
 */
class MembershipMonitor {
  readonly seen = new Map<string, Set<string>>();
  readonly lost: string[] = [];
  maxUsersPerExternalId = 0;
  polls = 0;
  failedPolls = 0;
  #running = true;
  #done: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {
    this.#done = this.#loop();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#done;
    await this.poll();
  }

  async poll(): Promise<void> {
    const [users, groups] = await Promise.all([this.#list<LiveUser>("Users"), this.#list<LiveGroup>("Groups")]);
    this.polls++;
    const perExternalId = new Map<string, number>();
    for (const u of users) if (u.externalId) perExternalId.set(u.externalId, (perExternalId.get(u.externalId) ?? 0) + 1);
    this.maxUsersPerExternalId = Math.max(this.maxUsersPerExternalId, ...perExternalId.values());
    const now = new Map(groups.map((g) => [g.id, new Set((g.members ?? []).map((m) => m.value))]));
    for (const [group, members] of this.seen) {
      const current = now.get(group) ?? new Set<string>();
      for (const m of members) if (!current.has(m)) this.lost.push(`${group} lost ${m}`);
    }
    for (const [group, members] of now) {
      const known = this.seen.get(group) ?? new Set<string>();
      for (const m of members) known.add(m);
      this.seen.set(group, known);
    }
  }

  async #loop(): Promise<void> {
    while (this.#running) {
      // A poll the sandbox could not answer (it is busy serving the apply) proves nothing either way.
      await this.poll().catch(() => this.failedPolls++);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async #list<T>(resource: string): Promise<T[]> {
    const res = await fetch(`${this.url}/${resource}?count=1000`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!res.ok) throw new Error(`monitor: GET ${resource} answered ${res.status}`);
    return ((await res.json()) as ScimList<T>).Resources ?? [];
  }
}

/**
 * The initial apply of the sample through a target that fails one request in five — rate
 * limits, 5xx, dropped connections, stalls, and answers lost after the write happened —
 * converges in one run, with no duplicate and no membership missing at any moment.
 */
describe("faults: an apply through a failing SCIM target", () => {
  let project: TempProject;
  let proxy: FaultProxy;
  let sandbox: { url: string; token: string };
  const stack = ["--stack", "faults"];

  beforeAll(async () => {
    project = await TempProject.create({ ROLECALL_SANDBOX_PORT: String(await freePort()), PULUMI_CONFIG_PASSPHRASE: "e2e-only" });
    const started = await project.ok("sandbox", "start");
    const url = /sandbox running at (\S+)/.exec(started.stdout)?.[1];
    if (!url) throw new Error(`no sandbox URL in: ${started.stdout}`);
    const token = await project.sandboxToken();
    sandbox = { url, token };
    proxy = await startFaultProxy({ target: url, seed: 20_251_201, rate: 0.2, stallMs: 1_500, maxFaults: 400 });
    project.env.ROLECALL_SCIM_TOKEN = token;
    project.env.PULUMI_BACKEND_URL = `file://${path.join(project.dir, "faults-state")}`;
    await mkdir(path.join(project.dir, "faults-state"));
    await writeFile(path.join(project.dir, "stacks", "Pulumi.faults.yaml"), `config:\n  rolecall:targets:\n    scim:\n      endpoint: ${proxy.url}\n`);
  });
  afterAll(async () => {
    await proxy?.close();
    await project?.run("sandbox", "stop");
    await project?.remove();
  });

  it("converges in one run: every user once, every group with all its members, none ever lost", async () => {
    const monitor = new MembershipMonitor(sandbox.url, sandbox.token);
    const applied = await project.run("apply", ...stack, "--yes");
    await monitor.stop();
    expect(applied.code, `${applied.stderr}\n${applied.stdout}`).toBe(0);

    // The faults really happened, every kind of them.
    for (const kind of FAULT_KINDS) expect(proxy.counts.faults[kind], `${kind} faults injected`).toBeGreaterThan(0);
    expect(monitor.polls).toBeGreaterThan(5 + monitor.failedPolls);
    expect(monitor.lost).toEqual([]);
    expect(monitor.maxUsersPerExternalId).toBe(1);

    const inputs = await loadDesiredState(path.join(project.dir, "desired-state"));
    const want = compile(inputs, todayIn(inputs.policy.organization.timezone)).targets.scim!;
    const get = async <T>(resource: string) =>
      ((await (await fetch(`${sandbox.url}/${resource}?count=1000`, { headers: { authorization: `Bearer ${sandbox.token}` } })).json()) as ScimList<T>)
        .Resources ?? [];
    const users = await get<LiveUser>("Users");
    expect(users.map((u) => u.externalId).sort()).toEqual(want.users.map((u) => u.key).sort());
    const workerOf = new Map(users.map((u) => [u.id, u.externalId]));
    const groups = await get<LiveGroup>("Groups");
    expect(groups).toHaveLength(want.groups.length);
    console.info(`fault proxy: ${JSON.stringify(proxy.counts)}`);
    expect(Object.fromEntries(groups.map((g) => [g.displayName, (g.members ?? []).map((m) => workerOf.get(m.value)).sort()]))).toEqual(
      Object.fromEntries(want.groups.map((g) => [g.displayName, g.members.map((m) => m.user).sort()])),
    );
  }, APPLY_TIMEOUT_MS);

  it("the next plan, still through the faults, is empty", async () => {
    const { plan, result } = await planned(project, "plan", ...stack);
    expect(result.code, `${result.stderr}\n${result.stdout}`).toBe(0);
    expect(plan.people).toEqual([]);
    expect(plan.groups).toEqual([]);
  }, APPLY_TIMEOUT_MS);
});

describe("faults: a create the target refuses every time", () => {
  let project: TempProject;
  let proxy: FaultProxy;
  let refuseJoiner = false;
  const stack = ["--stack", "refusing"];
  const joiner = "W2003";
  const ls = async () => JSON.parse((await project.ok("sandbox", "ls", "--json")).stdout) as { users: { userName: string; externalId: string; active: boolean }[]; groups: { displayName: string; members: string[] }[] };

  beforeAll(async () => {
    project = await TempProject.create({ ROLECALL_SANDBOX_PORT: String(await freePort()), PULUMI_CONFIG_PASSPHRASE: "e2e-only" });
    const started = await project.ok("sandbox", "start");
    const url = /sandbox running at (\S+)/.exec(started.stdout)![1]!;
    // The target rejects the joiner's account outright (a 400 a retry cannot mend); everything else passes.
    proxy = await startFaultProxy({ target: url, seed: 1, rate: 0, refuse: ({ method, path, body }) => (refuseJoiner && method === "POST" && path === "/Users" && body.includes(joiner) ? 400 : undefined) });
    project.env.ROLECALL_SCIM_TOKEN = await project.sandboxToken();
    project.env.PULUMI_BACKEND_URL = `file://${path.join(project.dir, "refusing-state")}`;
    await mkdir(path.join(project.dir, "refusing-state"));
    await writeFile(path.join(project.dir, "stacks", "Pulumi.refusing.yaml"), `config:\n  rolecall:targets:\n    scim:\n      endpoint: ${proxy.url}\n`);
    await project.ok("apply", ...stack, "--yes");
  }, APPLY_TIMEOUT_MS);
  afterAll(async () => {
    await proxy?.close();
    await project?.run("sandbox", "stop");
    await project?.remove();
  });

  it("strands no leaver in grace in the groups the refused joiner was to join; the next plan still shows the joiner's gains and privileged risk", async () => {
    refuseJoiner = true;
    const policy = path.join(project.dir, "desired-state", "policy.yaml");
    await writeFile(policy, (await readFile(policy, "utf8")).replace(/leaverGraceDays: \d+/, "leaverGraceDays: 30"));
    const roster = path.join(project.dir, "desired-state", "hr", "roster.csv");
    await writeFile(roster, (await readFile(roster, "utf8")) + `${joiner},Noor,Haddad,,,Engineering,CC-200,Berlin,Software Engineer,W1009,Employee,Active,2024-05-01,\r\n`);
    await project.editRoster((row) => (row["Employee ID"] === "W1013" ? { ...row, "Employment Status": "Terminated", "Termination Date": "2026-11-30" } : row));

    const { dir, result } = await planned(project, "apply", ...stack, "--yes");
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr).toMatch(new RegExp(`${joiner}.*400`));
    const steps = (JSON.parse(await readFile(path.join(dir, "applied.json"), "utf8")) as { steps: { urn: string; op: string; outcome: string }[] }).steps;
    expect(steps.find((s) => s.urn.endsWith(`User::${joiner}`))).toMatchObject({ op: "create", outcome: "failed" });
    const live = await ls();
    const leaver = live.users.find((u) => u.externalId === "W1013")!;
    expect(leaver.active).toBe(false);
    expect(live.groups.filter((g) => g.members.includes(leaver.userName)).map((g) => g.displayName)).toEqual([]);
    expect(live.users.map((u) => u.externalId)).not.toContain(joiner);

    const next = await planned(project, "plan", ...stack);
    expect((next.plan.people.find((p) => p.id === joiner)?.gains ?? []).map((g) => g.item).sort()).toEqual(["all-staff", "engineering", "office-berlin", "platform-team"]);
    expect(next.plan.risks).toContainEqual({ code: "privileged-grant", subject: joiner, message: `${joiner} gains privileged scim group platform-team` });
    expect(next.plan.people.find((p) => p.id === "W1013")).toBeUndefined();

    refuseJoiner = false;
    expect((await project.run("apply", ...stack, "--yes")).code).toBe(0);
    expect((await ls()).groups.find((g) => g.displayName === "Platform Team")?.members).toContain(`noor.haddad@example.com`);
  }, APPLY_TIMEOUT_MS);
});
