import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandboxServer, type SandboxServer } from "../../../src/sandbox/server.js";

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export interface ScimReply {
  status: number;
  // Tests read arbitrary SCIM JSON; `any` keeps the assertions readable.
  body: any;
}

export interface TestSandbox {
  dir: string;
  server: SandboxServer;
  scim(method: string, path: string, body?: unknown, token?: string): Promise<ScimReply>;
  createUser(userName: string, extra?: Record<string, unknown>): Promise<string>;
  createGroup(displayName: string, memberIds?: string[]): Promise<string>;
  patch(path: string, ...operations: Record<string, unknown>[]): Promise<ScimReply>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "rolecall-sandbox-"));
}

export async function startTestSandbox(dir?: string): Promise<TestSandbox> {
  const home = dir ?? (await tempDir());
  let server = await startSandboxServer({ dir: home, port: 0 });

  const scim: TestSandbox["scim"] = async (method, path, body, token = server.token) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  const sandbox: TestSandbox = {
    dir: home,
    get server() {
      return server;
    },
    scim,
    async createUser(userName, extra = {}) {
      const reply = await scim("POST", "/Users", { schemas: [USER_SCHEMA], userName, ...extra });
      if (reply.status !== 201) throw new Error(`create ${userName}: ${reply.status} ${JSON.stringify(reply.body)}`);
      return reply.body.id as string;
    },
    async createGroup(displayName, memberIds = []) {
      const reply = await scim("POST", "/Groups", {
        schemas: [GROUP_SCHEMA],
        displayName,
        members: memberIds.map((value) => ({ value })),
      });
      if (reply.status !== 201) throw new Error(`create ${displayName}: ${reply.status} ${JSON.stringify(reply.body)}`);
      return reply.body.id as string;
    },
    patch(path, ...operations) {
      return scim("PATCH", path, { schemas: [PATCH_SCHEMA], Operations: operations });
    },
    async restart() {
      await server.close();
      server = await startSandboxServer({ dir: home, port: 0 });
    },
    async stop() {
      await server.close();
      if (dir === undefined) await rm(home, { recursive: true, force: true });
    },
  };
  return sandbox;
}
