import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startSandboxServer, type SandboxServer } from "../../src/sandbox/server.js";
import { ScimClient } from "../../src/targets/scim/provider/client.js";
import { groupType } from "../../src/targets/scim/provider/group.js";
import { USER_SCHEMA } from "../../src/targets/scim/provider/scim-types.js";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy.js";
import { startScim2Server, type RunningPeer } from "../support/scim2-server.js";

/**
 * The provider's group create against real service providers at a size one POST cannot carry
 * (the sandbox refuses bodies over 1 MiB; 25,000 members are ~1.2 MB): one chunk in the POST,
 * the rest in PATCHes, whatever the size. ROLECALL_LARGE_GROUP sets the size; the default
 * keeps the suite's runtime reasonable while both peers' user writes cost tens of ms each
 * (scim2-server and the current sandbox store are linear per write) — the members are created
 * in setup through the SCIM API, not through the engine.
 */
const SIZE = Number(process.env.ROLECALL_LARGE_GROUP ?? 1_234);
const SETUP_TIMEOUT_MS = 3_600_000;

async function createUsers(url: string, token: string, prefix: string): Promise<string[]> {
  const ids: string[] = new Array<string>(SIZE);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < SIZE; i = next++) {
      const res = await fetch(`${url}/Users`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
        body: JSON.stringify({ schemas: [USER_SCHEMA], userName: `${prefix}${i}@example.com`, externalId: `${prefix}${i}` }),
      });
      if (res.status !== 201) throw new Error(`setup: POST /Users answered ${res.status}: ${await res.text()}`);
      ids[i] = ((await res.json()) as { id: string }).id;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return ids;
}

async function membersOf(url: string, token: string, id: string): Promise<string[]> {
  const res = await fetch(`${url}/Groups/${id}`, { headers: { authorization: `Bearer ${token}` } });
  return (((await res.json()) as { members?: { value: string }[] }).members ?? []).map((m) => m.value).sort();
}

const log = { info: () => {} };

/** A Python server on a loaded machine can take longer to listen than the shared helper waits. */
async function answering(url: string, token: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`${url}/ServiceProviderConfig`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered`);
}

describe.each([
  ["the sandbox", "sandbox"],
  ["scim2-server", "peer"],
] as const)(`a ${SIZE}-member group created by the provider on %s`, (_name, which) => {
  let url: string;
  let token: string;
  let proxy: FaultProxy;
  let stop: () => Promise<void>;
  let ids: string[];
  let largestBody = 0;

  beforeAll(async () => {
    if (which === "sandbox") {
      const dir = await mkdtemp(path.join(os.tmpdir(), "rolecall-large-group-"));
      const sandbox: SandboxServer = await startSandboxServer({ dir, port: 0 });
      ({ url, token } = sandbox);
      stop = async () => {
        await sandbox.close();
        await rm(dir, { recursive: true, force: true });
      };
    } else {
      const peer: RunningPeer = await startScim2Server(inject("scim2ServerBin"));
      ({ url, token } = peer);
      stop = () => peer.stop();
      await answering(url, token);
    }
    ids = await createUsers(url, token, `lg-${which}-`);
    // At rate 0 the proxy only counts; it is how we see which requests the provider sent.
    proxy = await startFaultProxy({ target: url, seed: 1, rate: 0 });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await proxy?.close();
    await stop?.();
  });

  it("holds every member after one create, sent as a POST of one chunk and PATCHes of the rest", async () => {
    const client = new ScimClient({
      endpoint: proxy.url,
      token,
      fetch: async (input, init) => {
        largestBody = Math.max(largestBody, typeof init?.body === "string" ? Buffer.byteLength(init.body) : 0);
        return fetch(input, init);
      },
    });
    const members = [...ids].sort();
    const { id } = await groupType.create({ client, log }, { displayName: `Everyone ${which}`, externalId: `everyone-${which}`, members }, "urn:test");
    expect(await membersOf(url, token, id)).toEqual(members);
    expect(proxy.counts.byRoute["POST /Groups"]).toBe(1);
    expect(proxy.counts.byRoute["PATCH /Groups/{id}"]).toBe(Math.ceil((SIZE - 500) / 500));
    expect(largestBody).toBeLessThan(64 * 1024);
  }, SETUP_TIMEOUT_MS);
});
