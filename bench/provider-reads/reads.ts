// Requests one refresh costs at the provider level: every user and group read once, 16 at a
// time as the engine does, through a counting proxy (rate 0), by a given provider build.
// Usage (see README.md):
//   node bench/provider-reads/.build/bench/provider-reads/reads.js <people> <label>=<dist dir> ...
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startSandboxServer } from "../../src/sandbox/server.js";
import { startFaultProxy } from "../../test/support/fault-proxy.js";

interface ReadType {
  read(deps: { client: unknown; log: unknown }, id: string): Promise<unknown>;
}

async function pool<T>(items: readonly T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i]!);
  }));
}

async function main(): Promise<void> {
  const [people = "1000", ...builds] = process.argv.slice(2);
  const n = Number(people);
  const dir = await mkdtemp(path.join(os.tmpdir(), "rolecall-bench-reads-"));
  const sandbox = await startSandboxServer({ dir, port: 0 });
  try {
    const headers = { authorization: `Bearer ${sandbox.token}`, "content-type": "application/scim+json" };
    const users: string[] = [];
    await pool([...Array(n).keys()], 8, async (i) => {
      const res = await fetch(`${sandbox.url}/Users`, {
        method: "POST",
        headers,
        body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `p${i}@example.com`, externalId: `W${i}` }),
      });
      users.push(((await res.json()) as { id: string }).id);
    });
    // ~3 groups per person, as in the sample's rules: 30 groups of n/10 members each.
    const groups: string[] = [];
    for (let g = 0; g < 30; g++) {
      const members = users.filter((_, i) => (i + g) % 10 === 0).map((value) => ({ value }));
      const res = await fetch(`${sandbox.url}/Groups`, { method: "POST", headers, body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: `g${g}`, externalId: `g${g}`, members }) });
      groups.push(((await res.json()) as { id: string }).id);
    }
    console.log(`| build | people | groups | refresh requests | by route | wall s |`);
    console.log(`|---|---:|---:|---:|---|---:|`);
    for (const build of builds) {
      const [label, dist] = build.split("=") as [string, string];
      const base = pathToFileURL(path.join(path.resolve(dist), "targets", "scim", "provider") + "/").href;
      const { ScimClient } = (await import(`${base}client.js`)) as { ScimClient: new (o: { endpoint: string; token: string }) => unknown };
      const { userType } = (await import(`${base}user.js`)) as { userType: ReadType };
      const { groupType } = (await import(`${base}group.js`)) as { groupType: ReadType };
      const proxy = await startFaultProxy({ target: sandbox.url, seed: 1, rate: 0 });
      const deps = { client: new ScimClient({ endpoint: proxy.url, token: sandbox.token }), log: { info: () => {} } };
      const started = Date.now();
      await pool(users, 16, (id) => userType.read(deps, id));
      await pool(groups, 16, (id) => groupType.read(deps, id));
      const routes = Object.entries(proxy.counts.byRoute).map(([k, v]) => `${k}: ${v}`).join(", ");
      console.log(`| ${label} | ${n} | ${groups.length} | ${proxy.counts.requests} | ${routes} | ${((Date.now() - started) / 1000).toFixed(1)} |`);
      await proxy.close();
    }
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
