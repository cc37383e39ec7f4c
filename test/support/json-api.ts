import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sends the headers and part of the body, then cuts the connection. */
  breakOff?: boolean;
}

export interface JsonApi {
  origin: string;
  /** Every request received, as method, path and query, with its headers. */
  requests: { method: string; url: URL; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

/**
 * A small HTTP server on 127.0.0.1 and a free port that answers each request with what
 * `route` returns: stands in for an API that cannot run here (Okta, Microsoft Graph), serving
 * the documented shapes its tests write out.
 */
export async function startJsonApi(route: (request: { method: string; url: URL; headers: http.IncomingHttpHeaders; body: string }, origin: string) => Answer | Promise<Answer>): Promise<JsonApi> {
  const requests: JsonApi["requests"] = [];
  let origin = "";
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      const request = { method: req.method ?? "GET", url: new URL(req.url ?? "/", origin), headers: req.headers, body };
      requests.push(request);
      void Promise.resolve(route(request, origin)).then(
        (answer) => {
          const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
          res.writeHead(answer.status ?? 200, { "content-type": "application/json", ...answer.headers });
          if (answer.breakOff) {
            res.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
            res.socket?.destroy();
            return;
          }
          res.end(text);
        },
        (error: unknown) => {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: String(error) }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
