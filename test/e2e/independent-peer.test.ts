import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { todayIn } from "../../src/load/as-of.js";
import { compile } from "../../src/compile/compile.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import { startScim2Server, type RunningPeer } from "../support/scim2-server.js";
import { personIn, planned } from "./support/plan.js";
import { TempProject } from "./support/project.js";

interface ScimList<T> {
  totalResults: number;
  Resources?: T[];
}

/**
 * Our provider against a SCIM 2.0 server nobody here wrote (scim2-server from PyPI), through
 * the real engine: what holds against our own sandbox must hold against a stranger too.
 */
describe("the SCIM provider against an independent SCIM server", () => {
  let peer: RunningPeer;
  let project: TempProject;
  const get = async <T>(resource: string): Promise<T[]> => {
    const res = await fetch(`${peer.url}/${resource}?count=1000`, { headers: { authorization: `Bearer ${peer.token}` } });
    return ((await res.json()) as ScimList<T>).Resources ?? [];
  };
  const expected = async () => {
    const inputs = await loadDesiredState(`${project.dir}/desired-state`);
    return compile(inputs, todayIn(inputs.policy.organization.timezone)).targets.scim!;
  };

  beforeAll(async () => {
    peer = await startScim2Server(inject("scim2ServerBin"));
    project = await TempProject.create({ ROLECALL_SCIM_TOKEN: peer.token, PULUMI_CONFIG_PASSPHRASE: "e2e-only" });
    project.env.PULUMI_BACKEND_URL = `file://${path.join(project.dir, "peer-state")}`;
    await mkdir(path.join(project.dir, "peer-state"));
    await writeFile(path.join(project.dir, "stacks", "Pulumi.peer.yaml"), `config:\n  rolecall:targets:\n    scim:\n      endpoint: ${peer.url}\n`);
  });
  afterAll(async () => {
    await peer?.stop();
    await project?.remove();
  });

  it("provisions the sample organisation: users by externalId, groups with their members", async () => {
    await project.ok("apply", "--stack", "peer", "--yes");
    const want = await expected();
    const users = await get<{ id: string; userName: string; externalId: string; active: boolean }>("Users");
    expect(users.map((u) => [u.externalId, u.userName, u.active]).sort()).toEqual(want.users.map((u) => [u.key, u.userName, u.active]).sort());
    const workerOf = new Map(users.map((u) => [u.id, u.externalId]));
    const groups = await get<{ displayName: string; members?: { value: string }[] }>("Groups");
    expect(Object.fromEntries(groups.map((g) => [g.displayName, (g.members ?? []).map((m) => workerOf.get(m.value)).sort()]))).toEqual(
      Object.fromEntries(want.groups.map((g) => [g.displayName, g.members.map((m) => m.user).sort()])),
    );
    expect((await planned(project, "plan", "--stack", "peer")).plan.people).toEqual([]);
  });

  it("removes a leaver and their memberships, then has nothing left to do", async () => {
    await project.editRoster((row) => (row["Employee ID"] === "W1038" ? { ...row, "Employment Status": "Terminated" } : row));
    const { plan } = await planned(project, "plan", "--stack", "peer");
    expect(personIn(plan, "W1038")).toMatchObject({ change: "leaver", losses: expect.arrayContaining([expect.objectContaining({ item: "it-admins" })]) });
    await project.ok("apply", "--stack", "peer", "--yes");
    const users = await get<{ id: string; externalId: string }>("Users");
    expect(users.map((u) => u.externalId)).not.toContain("W1038");
    const groups = await get<{ members?: { value: string }[] }>("Groups");
    const ids = new Set(users.map((u) => u.id));
    expect(groups.flatMap((g) => g.members ?? []).every((m) => ids.has(m.value))).toBe(true);
    expect((await planned(project, "plan", "--stack", "peer")).plan.people).toEqual([]);
  });
});
