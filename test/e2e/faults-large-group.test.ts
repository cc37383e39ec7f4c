import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createResource, type Site } from "../../src/sandbox/resources.js";
import { userKind } from "../../src/sandbox/scim/schema.js";
import { startSandboxServer, type SandboxServer } from "../../src/sandbox/server.js";
import { SandboxStore } from "../../src/sandbox/store.js";
import { ScimClient } from "../../src/targets/scim/provider/client.js";
import { groupType } from "../../src/targets/scim/provider/group.js";
import { groupToScim } from "../../src/targets/scim/provider/mapping.js";
import { USER_SCHEMA } from "../../src/targets/scim/provider/scim-types.js";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy.js";
import { startScim2Server, type RunningPeer } from "../support/scim2-server.js";

/**
 * The provider's group create against real service providers at a size one POST cannot carry
 * (the sandbox refuses bodies over 1 MiB; 25,000 members are ~1.2 MB): one chunk in the POST,
 * the rest in PATCHes. The members are put in place before the provider runs, the fastest way
 * each SP offers (the sandbox's store before it starts, scim2-server's /Bulk), so the test's
 * time goes to what it checks. ROLECALL_LARGE_GROUP sets another size.
 */
const SIZE = Number(process.env.ROLECALL_LARGE_GROUP ?? 25_000);
const SETUP_TIMEOUT_MS = 1_800_000;
const BULK_OPERATIONS = 500;

function memberUser(prefix: string, i: number) {
  return { schemas: [USER_SCHEMA], userName: `${prefix}${i}@example.com`, externalId: `${prefix}${i}` };
}

function seedSandbox(dir: string, prefix: string): string[] {
  const store = SandboxStore.open(dir);
  try {
    const site: Site = { store, base: "" };
    return store.transaction(() => Array.from({ length: SIZE }, (_, i) => createResource(site, userKind, memberUser(prefix, i)).id));
  } finally {
    store.close();
  }
}

/** RFC 7644 §3.7: users in BulkRequests of BULK_OPERATIONS each; every operation must answer 201. */
async function seedByBulk(url: string, token: string, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < SIZE; start += BULK_OPERATIONS) {
    const Operations = Array.from({ length: Math.min(BULK_OPERATIONS, SIZE - start) }, (_, k) => ({
      method: "POST",
      path: "/Users",
      bulkId: `u${start + k}`,
      data: memberUser(prefix, start + k),
    }));
    const res = await fetch(`${url}/Bulk`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
      body: JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], Operations }),
    });
    const body = (await res.json()) as { Operations?: { status: string; location?: string }[] };
    const answers = body.Operations ?? [];
    if (res.status !== 200 || answers.length !== Operations.length || answers.some((o) => !String(o.status).startsWith("201"))) {
      throw new Error(`setup: POST /Bulk answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
    }
    ids.push(...answers.map((o) => o.location!.split("/").pop()!));
  }
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
      ids = seedSandbox(dir, `lg-${which}-`);
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
      ids = await seedByBulk(url, token, `lg-${which}-`);
    }
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
    // The size matters: the whole membership in one body is more than the sandbox takes.
    expect(Buffer.byteLength(JSON.stringify(groupToScim({ displayName: "x", externalId: "x", members })))).toBeGreaterThan(2 ** 20);
    const { id } = await groupType.create({ client, log }, { displayName: `Everyone ${which}`, externalId: `everyone-${which}`, members }, "urn:test");
    expect(await membersOf(url, token, id)).toEqual(members);
    expect(proxy.counts.byRoute["POST /Groups"]).toBe(1);
    expect(proxy.counts.byRoute["PATCH /Groups/{id}"]).toBe(Math.ceil((SIZE - 500) / 500));
    expect(largestBody).toBeLessThan(64 * 1024);
  }, SETUP_TIMEOUT_MS);
});
