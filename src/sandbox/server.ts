import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type ErrorRequestHandler, type RequestHandler, type Response } from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";
import { acceptStringBooleans, numericPagination, removeMembersByValue } from "./compat.js";
import { SerialQueue } from "./queue.js";
import { declareSandboxResources } from "./resources.js";
import { emptySandboxData, SandboxStore } from "./store.js";
import { bearerMatches, loadOrCreateToken } from "./token.js";

export const DEFAULT_SANDBOX_PORT = 7643;
export const SCIM_BASE_PATH = "/scim/v2";

export interface SandboxServerOptions {
  dir: string;
  /** 0 picks a free port. */
  port?: number;
  host?: "127.0.0.1";
  /** Told about every answered request; never sees headers, query strings or bodies. */
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  ms: number;
}

export interface SandboxServer {
  /** e.g. http://127.0.0.1:7643/scim/v2 */
  url: string;
  token: string;
  close(): Promise<void>;
}

type ScimHandler = ConstructorParameters<typeof SCIMMYRouters>[0]["handler"];

export async function startSandboxServer(opts: SandboxServerOptions): Promise<SandboxServer> {
  // The sandbox holds a directory's worth of identities behind a token on disk: never expose it.
  if (opts.host !== undefined && opts.host !== "127.0.0.1") {
    throw new Error(`the sandbox only listens on 127.0.0.1, not ${String(opts.host)}`);
  }
  const store = await SandboxStore.open(opts.dir);
  const token = await loadOrCreateToken(opts.dir);
  const server = createServer(createApp(store, token, opts.onRequest));
  await listen(server, opts.port ?? DEFAULT_SANDBOX_PORT);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${SCIM_BASE_PATH}`, token, close: () => close(server) };
}

function createApp(store: SandboxStore, token: string, onRequest: SandboxServerOptions["onRequest"]) {
  declareSandboxResources();
  const scim = new SCIMMYRouters({
    type: "bearer",
    // requireBearer has already authenticated the request. The token names no SCIM user, and a
    // non-string answer makes scimmy reply 501 to /Me.
    handler: (() => undefined) as unknown as ScimHandler,
    context: () => store,
  });
  const app = express();
  app.disable("x-powered-by");
  if (onRequest) app.use(logRequests(onRequest));
  app.use(requireBearer(token));
  // Parsed here, ahead of the write lock, so a slow upload never holds up other writers;
  // scimmy's own parser sees the body already read and leaves it be.
  app.use(express.json({ type: ["application/scim+json", "application/json"], limit: SCIMMY.Config.get().bulk.maxPayloadSize }));
  app.use(unreadableBody);
  app.use(serialiseWrites(new SerialQueue()));
  app.use(SCIM_BASE_PATH, numericPagination, acceptStringBooleans, removeMembersByValue, scim);
  // Outside the SCIM namespace, for `rolecall sandbox ls` and `reset` on a running sandbox.
  app.get("/admin/state", (_req, res) => {
    res.json(store.data);
  });
  app.post("/admin/reset", async (_req, res) => {
    await store.mutate((data) => Object.assign(data, emptySandboxData()));
    res.status(204).end();
  });
  return app;
}

function requireBearer(token: string): RequestHandler {
  return (req, res, next) => {
    if (bearerMatches(req.get("authorization"), token)) return next();
    res.set("WWW-Authenticate", 'Bearer realm="rolecall-sandbox"');
    sendScimError(res, 401, "a valid bearer token is required (see the sandbox's token file)");
  };
}

const unreadableBody: ErrorRequestHandler = (error: { status?: number; message?: string }, _req, res, _next) => {
  const status = error.status === 413 ? 413 : 400;
  sendScimError(res, status, `unreadable request body: ${error.message ?? "parse error"}`, status === 400 ? "invalidSyntax" : undefined);
};

/**
 * Every mutating request runs alone, from routing to the last byte of its response.
 *
 * scimmy implements PATCH as read (egress), apply the operations in memory, write the whole
 * resource back (ingress). Two concurrent PATCHes that each add a member to one group would both
 * read the old member list and the second write would drop the first member. Serialising the
 * whole request, rather than only the store write, makes that read-modify-write atomic for every
 * resource type and for Bulk too, without re-implementing scimmy's PATCH semantics. Reads are not
 * queued: they see the store's last committed state.
 */
function serialiseWrites(queue: SerialQueue): RequestHandler {
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    void queue.run(
      () =>
        new Promise<void>((release) => {
          res.once("finish", release);
          res.once("close", release);
          next();
        }),
    );
  };
}

function logRequests(onRequest: (entry: RequestLogEntry) => void): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once("finish", () => {
      onRequest({
        method: req.method,
        path: req.originalUrl.split("?")[0] ?? "",
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      });
    });
    next();
  };
}

function sendScimError(res: Response, status: 400 | 401 | 413, detail: string, scimType?: "invalidSyntax"): void {
  res.status(status).type("application/scim+json").json(new SCIMMY.Messages.Error({ status, scimType, detail }));
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
