import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { listResponse, MAX_BODY_BYTES, resourceTypeByName, resourceTypes, schemaById, schemas, serviceProviderConfig } from "./discovery.js";
import { migrateLegacyData } from "./migrate.js";
import { listResources, MAX_RESULTS, type ListQuery } from "./query.js";
import { createResource, deleteResource, etag, findResource, locationOf, patchResource, RELATED, render, replaceResource, type Site } from "./resources.js";
import { ScimError } from "./scim/errors.js";
import { isRecord } from "./scim/paths.js";
import { project, returns, type Projection } from "./scim/project.js";
import { groupKind, userKind, type ResourceKind } from "./scim/schema.js";
import { SandboxStore, type StoredResource } from "./store.js";
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

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Request {
  method: string;
  segments: string[];
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: unknown;
}

const KINDS: Record<string, ResourceKind> = { users: userKind, groups: groupKind };
const SCIM_JSON = "application/scim+json; charset=utf-8";

export async function startSandboxServer(opts: SandboxServerOptions): Promise<SandboxServer> {
  // The sandbox holds a directory's worth of identities behind a token on disk: never expose it.
  if (opts.host !== undefined && opts.host !== "127.0.0.1") {
    throw new Error(`the sandbox only listens on 127.0.0.1, not ${String(opts.host)}`);
  }
  const store = SandboxStore.open(opts.dir);
  try {
    await migrateLegacyData(store, opts.dir);
    const token = await loadOrCreateToken(opts.dir);
    const site: Site = { store, base: "" };
    let closing = false;
    const server = createServer((req, res) => {
      // A client keeping its connection busy would otherwise hold a stopping sandbox open.
      if (closing) res.setHeader("connection", "close");
      void handle(site, token, req, res, opts.onRequest);
    });
    await listen(server, opts.port ?? DEFAULT_SANDBOX_PORT);
    const { port } = server.address() as AddressInfo;
    site.base = `http://127.0.0.1:${port}${SCIM_BASE_PATH}`;
    const stop = () => {
      closing = true;
      return close(server).finally(() => store.close());
    };
    return { url: site.base, token, close: stop };
  } catch (error) {
    store.close();
    throw error;
  }
}

async function handle(site: Site, token: string, req: IncomingMessage, res: ServerResponse, onRequest: SandboxServerOptions["onRequest"]) {
  const started = performance.now();
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  res.once("finish", () => onRequest?.({ method: req.method ?? "", path: url.pathname, status: res.statusCode, ms: Math.round(performance.now() - started) }));
  let reply: Reply;
  try {
    if (!bearerMatches(req.headers.authorization, token)) {
      req.resume();
      reply = { ...errorReply(new ScimError(401, undefined, "a valid bearer token is required (see the sandbox's token file)")), headers: { "www-authenticate": 'Bearer realm="rolecall-sandbox"' } };
    } else if (url.pathname !== SCIM_BASE_PATH && !url.pathname.startsWith(`${SCIM_BASE_PATH}/`)) {
      req.resume();
      throw new ScimError(404, undefined, `nothing at ${url.pathname}; the SCIM base is ${SCIM_BASE_PATH}`);
    } else {
      const segments = url.pathname.slice(SCIM_BASE_PATH.length).split("/").filter(Boolean).map(decodeSegment);
      const body = await readBody(req);
      reply = route(site, { method: req.method ?? "GET", segments, query: url.searchParams, headers: req.headers, body });
    }
  } catch (error) {
    reply = errorReply(error instanceof ScimError ? error : new ScimError(500, undefined, "the sandbox failed to answer; see its log"));
    if (!(error instanceof ScimError)) process.stderr.write(`${new Date().toISOString()} ${(error as Error).stack ?? String(error)}\n`);
  }
  send(res, reply);
}

function route(site: Site, request: Request): Reply {
  const [head = "", second, ...more] = request.segments;
  const { method } = request;
  const only = (allowed: string, answer: () => Reply): Reply => (method === allowed ? answer() : notAllowed(allowed));
  switch (head.toLowerCase()) {
    case "serviceproviderconfig":
      if (second !== undefined) throw new ScimError(404, undefined, "ServiceProviderConfig has no sub-resources");
      return only("GET", () => ({ status: 200, body: serviceProviderConfig(site.base) }));
    case "schemas":
      return only("GET", () => ({ status: 200, body: second === undefined ? listResponse(schemas(site.base)) : schemaById(site.base, second) }));
    case "resourcetypes":
      return only("GET", () => ({ status: 200, body: second === undefined ? listResponse(resourceTypes(site.base)) : resourceTypeByName(site.base, second) }));
    case ".search":
      return only("POST", () => search(site, [userKind, groupKind], request.body));
    case "bulk":
    case "me":
      throw new ScimError(501, undefined, `the sandbox does not implement /${head}`);
  }
  const kind = KINDS[head.toLowerCase()];
  if (!kind || more.length > 0) throw new ScimError(404, undefined, `nothing at /${request.segments.join("/")}`);
  if (second === undefined) {
    if (method === "GET") return list(site, kind, listQuery(request.query), projection(request.query));
    if (method === "POST") return created(site, kind, createResource(site, kind, request.body), projection(request.query));
    return notAllowed("GET, POST");
  }
  if (second === ".search") return only("POST", () => search(site, [kind], request.body));
  const ifMatch = header(request, "if-match");
  switch (method) {
    case "GET": {
      const found = findResource(site, kind, second);
      const current = etag(found).replace(/^W\//, "");
      if (header(request, "if-none-match")?.split(",").some((tag) => ["*", current].includes(tag.trim().replace(/^W\//, "")))) {
        return { status: 304, headers: { etag: etag(found) } };
      }
      return single(site, kind, found, projection(request.query));
    }
    case "PUT":
      return single(site, kind, replaceResource(site, kind, second, request.body, ifMatch), projection(request.query));
    case "PATCH":
      return single(site, kind, patchResource(site, kind, second, request.body, ifMatch), projection(request.query));
    case "DELETE":
      deleteResource(site, kind, second, ifMatch);
      return { status: 204 };
    default:
      return notAllowed("GET, PUT, PATCH, DELETE");
  }
}

function single(site: Site, kind: ResourceKind, resource: StoredResource, view: Projection): Reply {
  return { status: 200, body: project(kind, render(site, kind, resource, { related: returns(kind, view, RELATED[kind.name]) }), view), headers: { etag: etag(resource) } };
}

function created(site: Site, kind: ResourceKind, resource: StoredResource, view: Projection): Reply {
  const reply = single(site, kind, resource, view);
  return { ...reply, status: 201, headers: { ...reply.headers, location: locationOf(site, kind, resource.id) } };
}

function list(site: Site, kind: ResourceKind, query: ListQuery, view: Projection): Reply {
  const result = listResources(site, kind, query, { related: returns(kind, view, RELATED[kind.name]) });
  const resources = result.resources.map((resource) => project(kind, resource, view));
  return { status: 200, body: listResponse(resources, result.totalResults, result.startIndex) };
}

/**
 * POST /.search (RFC 7644 §3.4.3): the query in a SearchRequest body, on one resource type or
 * (at the root) on all of them, Users before Groups, one page across both. At the root an
 * attribute that only one type has narrows to that type.
 */
function search(site: Site, kinds: ResourceKind[], body: unknown): Reply {
  if (!isRecord(body)) throw new ScimError(400, "invalidSyntax", "a search needs a SearchRequest body");
  const text = (name: string): string | undefined => {
    const value = body[name];
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value.join(",");
    if (typeof value !== "string") throw new ScimError(400, "invalidValue", `"${name}" must be a string`);
    return value;
  };
  const number = (name: string): number | undefined => {
    const value = body[name];
    if (value === undefined || value === null) return undefined;
    if (!Number.isSafeInteger(value)) throw new ScimError(400, "invalidValue", `"${name}" must be an integer`);
    return value as number;
  };
  const query = { filter: text("filter"), sortBy: text("sortBy"), sortOrder: text("sortOrder") };
  const view = { attributes: text("attributes"), excludedAttributes: text("excludedAttributes") };
  const startIndex = Math.max(1, number("startIndex") ?? 1);
  let wanted = Math.min(Math.max(0, number("count") ?? MAX_RESULTS), MAX_RESULTS);
  let skip = startIndex - 1;
  let totalResults = 0;
  const resources: Record<string, unknown>[] = [];
  const errors: ScimError[] = [];
  for (const kind of kinds) {
    let result;
    try {
      result = listResources(site, kind, { ...query, startIndex: skip + 1, count: wanted }, { related: returns(kind, view, RELATED[kind.name]) });
      resources.push(...result.resources.map((resource) => project(kind, resource, view, { lenient: kinds.length > 1 })));
    } catch (error) {
      if (!(error instanceof ScimError) || kinds.length === 1) throw error;
      errors.push(error);
      continue;
    }
    totalResults += result.totalResults;
    wanted -= result.resources.length;
    skip = Math.max(0, skip - result.totalResults);
  }
  if (errors.length === kinds.length) throw errors[0];
  return { status: 200, body: listResponse(resources, totalResults, startIndex) };
}

function listQuery(params: URLSearchParams): ListQuery {
  const integer = (name: string): number | undefined => {
    const value = params.get(name);
    if (value === null || value === "") return undefined;
    if (!/^-?\d{1,15}$/.test(value)) throw new ScimError(400, "invalidValue", `${name} must be an integer, not ${JSON.stringify(value)}`);
    return Number(value);
  };
  return {
    filter: params.get("filter") ?? undefined,
    startIndex: integer("startIndex"),
    count: integer("count"),
    sortBy: params.get("sortBy") ?? undefined,
    sortOrder: params.get("sortOrder") ?? undefined,
  };
}

function projection(params: URLSearchParams): Projection {
  return { attributes: params.get("attributes") ?? undefined, excludedAttributes: params.get("excludedAttributes") ?? undefined };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ScimError(404, undefined, `nothing at ${segment}: it is not a valid URL path segment`);
  }
}

function header(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function notAllowed(allow: string): Reply {
  return { ...errorReply(new ScimError(405, undefined, `allowed here: ${allow}`)), headers: { allow } };
}

function errorReply(error: ScimError): Reply {
  return { status: error.status, body: error.body() };
}

/** The request's JSON body (undefined when it has none), read up to MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Read on to the end without keeping it, so the client gets the 413 rather than a reset.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) throw new ScimError(413, undefined, `the request body is larger than ${MAX_BODY_BYTES} bytes`);
  if (size === 0) return undefined;
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "" && type !== "application/scim+json" && type !== "application/json") {
    throw new ScimError(415, undefined, `send application/scim+json, not ${type}`);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch (error) {
    throw new ScimError(400, "invalidSyntax", `unreadable request body: ${(error as Error).message}`);
  }
}

function send(res: ServerResponse, reply: Reply): void {
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.body === undefined) {
    res.writeHead(reply.status).end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { "content-type": SCIM_JSON, "content-length": Buffer.byteLength(text) }).end(text);
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
