import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { RunningPeer } from "../support/scim2-server.js";
import { personIn, planned } from "./support/plan.js";
import { startPeerProject } from "./support/peer.js";
import type { TempProject } from "./support/project.js";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

interface ScimUser {
  id: string;
  userName: string;
  externalId?: string;
}

/** Brownfield adoption and orphans against scim2-server (PyPI), a SCIM server nobody here wrote, populated before the first apply. */
describe("brownfield adoption and orphans against an independent SCIM server", () => {
  let peer: RunningPeer;
  let project: TempProject;
  let stop: (() => Promise<void>) | undefined;
  const call = async (method: string, resource: string, body?: unknown) => {
    const res = await fetch(`${peer.url}/${resource}`, {
      method,
      headers: { authorization: `Bearer ${peer.token}`, "content-type": "application/scim+json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.status, `${method} ${resource}`).toBeLessThan(300);
    return (await res.json()) as ScimUser & { Resources?: ScimUser[] };
  };
  const users = async () => (await call("GET", "Users?count=1000")).Resources ?? [];

  beforeAll(async () => {
    ({ peer, project, stop } = await startPeerProject(inject("scim2ServerBin")));
  });
  afterAll(async () => stop?.());

  it("adopts by externalId and by email keeping the ids, refuses the disputed pair until decided, then removes the orphans under policy", async () => {
    const byExternalId = await call("POST", "Users", { schemas: [USER], userName: "bokafor", externalId: "W1002" });
    const byEmail = await call("POST", "Users", { schemas: [USER], userName: "cdubois", emails: [{ value: "chloe.dubois@example.com", primary: true }] });
    const rogue = await call("POST", "Users", { schemas: [USER], userName: "rogue.admin" });
    const first = await call("POST", "Users", { schemas: [USER], userName: "divanov", emails: [{ value: "dmitri.ivanov@example.com" }] });
    const second = await call("POST", "Users", { schemas: [USER], userName: "dmitri.old", emails: [{ value: "dmitri.ivanov@example.com" }] });

    const refused = await project.run("apply", "--stack", "peer", "--yes");
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toContain("disputed-account");
    expect((await users()).length).toBe(5);

    await writeFile(
      path.join(project.dir, "desired-state", "adoption.yaml"),
      [
        "decisions:",
        `  - { target: scim, account: "${first.id}", userName: divanov, belongsTo: W1004, reason: "checked with HR" }`,
        `  - { target: scim, account: "${second.id}", userName: dmitri.old, belongsTo: orphan, reason: "an old test account" }`,
        "",
      ].join("\n"),
    );
    const { plan, result } = await planned(project, "apply", "--stack", "peer", "--yes");
    expect(result.code, result.stderr).toBe(0);
    for (const id of ["W1002", "W1003", "W1004"]) expect(personIn(plan, id)).toMatchObject({ change: "adopted" });
    const after = await users();
    const byId = new Map(after.map((u) => [u.id, u]));
    expect(byId.get(byExternalId.id)).toMatchObject({ externalId: "W1002", userName: "bjorn.okafor@example.com" });
    expect(byId.get(byEmail.id)).toMatchObject({ externalId: "W1003" });
    expect(byId.get(first.id)).toMatchObject({ externalId: "W1004" });
    for (const worker of ["W1002", "W1003", "W1004"]) expect(after.filter((u) => u.externalId === worker)).toHaveLength(1);
    expect(plan.orphans!.map((o) => o.userName).sort()).toEqual(["dmitri.old", "rogue.admin"]);

    const policy = path.join(project.dir, "desired-state", "policy.yaml");
    await writeFile(policy, (await readFile(policy, "utf8")) + "orphans:\n  scim: { action: remove }\n");
    const removed = await planned(project, "apply", "--stack", "peer", "--yes");
    expect(removed.result.code, removed.result.stderr).toBe(0);
    expect(removed.plan.summary.orphansRemoved).toBe(2);
    const left = new Set((await users()).map((u) => u.id));
    expect(left.has(rogue.id) || left.has(second.id)).toBe(false);
    expect(left.has(byExternalId.id) && left.has(byEmail.id) && left.has(first.id)).toBe(true);
  });
});
