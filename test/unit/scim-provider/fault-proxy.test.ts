import { afterEach, describe, expect, it } from "vitest";
import { startFaultProxy, type FaultProxy } from "../../support/fault-proxy.js";
import { startTestServer, type TestServer } from "./http-fixture.js";

let server: TestServer | undefined;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await server?.close();
  proxy = server = undefined;
});

/** Status per request (0 for a dropped connection), sent one after another. */
async function statuses(url: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(await fetch(`${url}/Users/${i}`, { method: i % 2 ? "POST" : "GET", body: i % 2 ? "{}" : null }).then((r) => r.status, () => 0));
  }
  return out;
}

describe("the fault proxy (test support)", () => {
  it("is reproducible: the same seed faults the same requests the same way", async () => {
    server = await startTestServer(() => ({ status: 200, body: { ok: true } }));
    const runs: number[][] = [];
    for (let i = 0; i < 2; i++) {
      proxy = await startFaultProxy({ target: server.endpoint, seed: 7, rate: 0.5, stallMs: 1 });
      runs.push(await statuses(proxy.url, 40));
      await proxy.close();
      proxy = undefined;
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]!.filter((s) => s !== 200).length).toBeGreaterThan(5);
  });

  it("is bounded, counts what it did, and lost-answer faults really reach the target", async () => {
    server = await startTestServer(() => ({ status: 201, body: { id: "x" } }));
    proxy = await startFaultProxy({ target: server.endpoint, seed: 1, rate: 1, maxFaults: 6, kinds: ["lost-502", "lost-drop"] });
    const got = await statuses(proxy.url, 10);
    expect(got.slice(0, 6).every((s) => s === 502 || s === 0)).toBe(true);
    expect(got.slice(6)).toEqual([201, 201, 201, 201]);
    expect(server.requests).toHaveLength(10);
    expect(proxy.counts).toMatchObject({ requests: 10, forwarded: 10 });
    expect(proxy.counts.faults["lost-502"] + proxy.counts.faults["lost-drop"]).toBe(6);
    expect(proxy.counts.byRoute).toEqual({ "GET /Users/{id}": 5, "POST /Users/{id}": 5 });
  });

  it("never forwards a request it refused before the target", async () => {
    server = await startTestServer(() => ({ status: 200 }));
    proxy = await startFaultProxy({ target: server.endpoint, seed: 3, rate: 1, kinds: ["429", "500", "503", "drop"] });
    const got = await statuses(proxy.url, 8);
    expect(got.every((s) => [429, 500, 503, 0].includes(s))).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it("refuses to forward anywhere but loopback", async () => {
    await expect(startFaultProxy({ target: "http://example.com/scim/v2", seed: 1, rate: 0 })).rejects.toThrow(/loopback/);
  });
});
