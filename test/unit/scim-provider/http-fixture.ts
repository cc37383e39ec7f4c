import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path and query, decoded query available through `query`. */
  url: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as application/scim+json, strings as they are. */
  body?: unknown;
  delayMs?: number;
}

export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:PORT/scim/v2 */
  endpoint: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A throwaway HTTP server on 127.0.0.1:0 that records requests and answers with `reply`. */
export async function startTestServer(reply: (request: RecordedRequest, index: number) => Reply): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://localhost");
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        url: url.pathname.replace(/^\/scim\/v2/, "") + url.search,
        query: url.searchParams,
        headers: req.headers,
        body,
        json: body ? (JSON.parse(body) as unknown) : undefined,
      };
      requests.push(recorded);
      const answer = reply(recorded, requests.length - 1);
      const send = () => {
        if (res.destroyed) return;
        const isText = typeof answer.body === "string";
        const payload = answer.body === undefined ? "" : isText ? (answer.body as string) : JSON.stringify(answer.body);
        const contentType = isText ? "text/html" : "application/scim+json";
        res.writeHead(answer.status, { ...(payload ? { "content-type": contentType } : {}), ...answer.headers });
        res.end(payload);
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/scim/v2`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function scimError(status: number, detail: string, scimType?: string): Reply {
  return {
    status,
    body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(status), detail, ...(scimType ? { scimType } : {}) },
  };
}
