import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * What the proxy can do to a request instead of passing it through untouched:
 * - `429`: answers 429 with Retry-After, never forwards (a rate limit);
 * - `500`, `503`: answers the error, never forwards (the SP failed before acting);
 * - `drop`: closes the connection, never forwards (a network cut before the SP);
 * - `stall`: holds the request for `stallMs`, then forwards it (a slow SP);
 * - `lost-502`: forwards, so the write happens, then answers 502 (a gateway lost the answer);
 * - `lost-drop`: forwards, so the write happens, then closes the connection instead of answering.
 */
export const FAULT_KINDS = ["429", "500", "503", "drop", "stall", "lost-502", "lost-drop"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultProxyOptions {
  /** Base URL of the SCIM service to forward to; must be on loopback. */
  target: string;
  /** Same seed, same decision for the n-th request. */
  seed: number;
  /** Probability that a request is faulted, 0…1. */
  rate: number;
  kinds?: readonly FaultKind[];
  /** No more faults than this in total; afterwards every request passes. */
  maxFaults?: number;
  stallMs?: number;
  retryAfterSeconds?: number;
  /** A request the target refuses every time with this status (a create it rejects), whatever the seed decides; never forwarded. */
  refuse?: (request: { method: string; path: string; body: string }) => number | undefined;
}

export interface FaultCounts {
  requests: number;
  /** Requests that reached the target (passed, stalled or lost after forwarding). */
  forwarded: number;
  faults: Record<FaultKind, number>;
  /** Requests received, by "METHOD /ResourceType" or "METHOD /ResourceType/{id}" (no queries). */
  byRoute: Record<string, number>;
}

export interface FaultProxy {
  /** The proxy's base URL, with the target's path: use it wherever the target's URL went. */
  url: string;
  counts: FaultCounts;
  /** Stops faulting; requests still pass through (so a test can settle, then count). */
  calm(): void;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
/** Bodies above this are refused rather than buffered: the proxy is for tests, not for bulk data. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** mulberry32: a tiny, well-known seeded PRNG; reproducibility is all we need from it. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A fault-injecting HTTP proxy in front of a SCIM service, listening on 127.0.0.1 only. Each
 * request draws from a seeded PRNG: with probability `rate` it gets one fault kind (uniformly),
 * until `maxFaults` have been injected.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  if (target.protocol !== "http:" || !LOOPBACK.has(target.hostname)) {
    throw new Error(`the fault proxy forwards to loopback http only, not ${options.target}`);
  }
  if (!(options.rate >= 0 && options.rate <= 1)) throw new Error(`rate must be between 0 and 1, not ${options.rate}`);
  const kinds = options.kinds ?? FAULT_KINDS;
  const maxFaults = options.maxFaults ?? Number.POSITIVE_INFINITY;
  const stallMs = options.stallMs ?? 2_000;
  const random = seededRandom(options.seed);
  const counts: FaultCounts = {
    requests: 0,
    forwarded: 0,
    faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
    byRoute: {},
  };
  let injected = 0;
  let calm = false;
  const sockets = new Set<Socket>();

  const decide = (): FaultKind | undefined => {
    // Two draws per request whatever happens, so one request's fate never shifts the next one's.
    const roll = random();
    const pick = random();
    if (calm || injected >= maxFaults || roll >= options.rate || kinds.length === 0) return undefined;
    injected++;
    return kinds[Math.floor(pick * kinds.length)];
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on("end", () => {
      counts.requests++;
      const [, resource = "", id] = (req.url ?? "").slice(target.pathname.replace(/\/$/, "").length).split("?")[0]!.split("/");
      const route = `${req.method} /${resource}${id ? "/{id}" : ""}`;
      counts.byRoute[route] = (counts.byRoute[route] ?? 0) + 1;
      const body = Buffer.concat(chunks);
      const refused = options.refuse?.({ method: req.method ?? "", path: route.slice(route.indexOf(" ") + 1), body: body.toString("utf8") });
      if (refused !== undefined) return answer(res, refused, {}, "refused by the fault proxy");
      const fault = decide();
      if (fault) counts.faults[fault]++;
      void handle(fault, req, res, body);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  const handle = async (fault: FaultKind | undefined, req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    switch (fault) {
      case "429":
        return answer(res, 429, { "retry-after": String(options.retryAfterSeconds ?? 1) }, "rate limited by the fault proxy");
      case "500":
      case "503":
        return answer(res, Number(fault), {}, `fault proxy: injected ${fault}`);
      case "drop":
        return req.socket.destroy();
      case "stall":
        await new Promise((r) => setTimeout(r, stallMs));
        break;
      default:
        break;
    }
    let upstream: { status: number; headers: Record<string, string>; body: Buffer };
    try {
      upstream = await forward(target, req, body);
      counts.forwarded++;
    } catch {
      return answer(res, 502, {}, "fault proxy: the target did not answer");
    }
    if (fault === "lost-502") return answer(res, 502, {}, "fault proxy: the answer was lost");
    if (fault === "lost-drop") return req.socket.destroy();
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
  };

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname.replace(/\/$/, "")}`,
    counts,
    calm: () => {
      calm = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function answer(res: ServerResponse, status: number, headers: Record<string, string>, detail: string): void {
  const body = JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(status), detail });
  res.writeHead(status, { "content-type": "application/scim+json", ...headers });
  res.end(body);
}

function forward(target: URL, req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const headers = { ...req.headers, host: target.host, "content-length": String(body.length) };
  delete headers["transfer-encoding"];
  delete headers.connection;
  return new Promise((resolve, reject) => {
    const out = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const kept: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined && !["connection", "transfer-encoding", "keep-alive"].includes(name)) kept[name] = String(value);
        }
        resolve({ status: res.statusCode ?? 502, headers: kept, body: Buffer.concat(chunks) });
      });
      res.on("error", reject);
    });
    out.on("error", reject);
    out.end(body);
  });
}
