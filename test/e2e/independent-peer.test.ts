import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { todayIn } from "../../src/load/as-of.js";
import { compile } from "../../src/compile/compile.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import type { RunningPeer } from "../support/scim2-server.js";
import { personIn, planned } from "./support/plan.js";
import { startPeerProject } from "./support/peer.js";
import type { TempProject } from "./support/project.js";

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
  let stop: (() => Promise<void>) | undefined;
  const get = async <T>(resource: string): Promise<T[]> => {
    const res = await fetch(`${peer.url}/${resource}?count=1000`, { headers: { authorization: `Bearer ${peer.token}` } });
    return ((await res.json()) as ScimList<T>).Resources ?? [];
  };
  const expected = async () => {
    const inputs = await loadDesiredState(`${project.dir}/desired-state`);
    return compile(inputs, todayIn(inputs.policy.organization.timezone)).targets.scim!;
  };

  beforeAll(async () => {
    ({ peer, project, stop } = await startPeerProject(inject("scim2ServerBin")));
  });
  afterAll(async () => stop?.());

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
