import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect } from "vitest";
import { freePort } from "../../support/scim2-server.js";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A SCIM resource as the sandbox answers it, or a list of them; a test names what else it reads. */
export interface ScimResource {
  id: string;
  Resources?: ScimResource[];
  [attribute: string]: unknown;
}

export interface ScimAnswer<T> {
  status: number;
  /** Undefined for a 204, which has no body to parse. */
  body: T | undefined;
}

/** A SCIM PATCH request's body. */
export function patchOp(...operations: Record<string, unknown>[]) {
  return { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: operations };
}

/**
 * A throwaway copy of the project — what a user's clone looks like — so each suite has its
 * own desired state, sandbox and stack state. Code and dependencies are linked, not copied.
 */
export class TempProject {
  private constructor(
    readonly dir: string,
    readonly env: Record<string, string>,
  ) {}

  static async create(env: Record<string, string> = {}): Promise<TempProject> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "rolecall-e2e-"));
    for (const entry of ["Pulumi.yaml", "stacks", "desired-state", "bin", "package.json", ".github"]) {
      await cp(path.join(REPO, entry), path.join(dir, entry), { recursive: true });
    }
    for (const entry of ["node_modules", "dist"]) await symlink(path.join(REPO, entry), path.join(dir, entry));
    return new TempProject(dir, env);
  }

  /** Runs `rolecall <args>` in the project, as a user would. */
  run(...args: string[]): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [path.join(this.dir, "bin", "rolecall.js"), ...args],
        { cwd: this.dir, env: { ...process.env, ...this.env, NO_COLOR: "1" }, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  /** Like run, but fails the test with the CLI's own output when it does not exit 0. */
  async ok(...args: string[]): Promise<CliResult> {
    const result = await this.run(...args);
    if (result.code !== 0) throw new Error(`rolecall ${args.join(" ")} exited ${result.code}\n${result.stderr}\n${result.stdout}`);
    // A Node process warning (a listener leak, a deprecation) is noise with a stack on the user's terminal.
    const warning = /^\(node:\d+\) .*Warning.*$/m.exec(result.stderr);
    if (warning) throw new Error(`rolecall ${args.join(" ")} printed a Node warning: ${warning[0]}`);
    return result;
  }

  /** The bearer token the sandbox wrote when it started: only the project's own sandbox knows it. */
  async sandboxToken(): Promise<string> {
    return (await readFile(path.join(this.dir, ".rolecall", "sandbox", "token"), "utf8")).trim();
  }

  /**
   * One request straight to the sandbox's SCIM API (`url` below /scim/v2): how a test changes or
   * reads the target behind rolecall's back, as an admin or another tool would.
   */
  async scim<T = ScimResource>(method: string, url: string, body?: unknown): Promise<ScimAnswer<T>> {
    const port = this.env.ROLECALL_SANDBOX_PORT;
    // Without it the sandbox takes the default port, which suites running side by side would share.
    if (!port) throw new Error("TempProject.create was not given ROLECALL_SANDBOX_PORT");
    const response = await fetch(`http://127.0.0.1:${port}/scim/v2${url}`, {
      method,
      headers: { authorization: `Bearer ${await this.sandboxToken()}`, "content-type": "application/scim+json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: response.status === 204 ? undefined : ((await response.json()) as T) };
  }

  /** Like scim, but fails the test when the sandbox refuses: a setup step that did not happen would make the test prove nothing. */
  async scimOk<T = ScimResource>(method: string, url: string, body?: unknown): Promise<T | undefined> {
    const answer = await this.scim<T>(method, url, body);
    expect(answer.status, `${method} ${url}`).toBeLessThan(300);
    return answer.body;
  }

  /** Rewrites rows of the roster CSV: `edit` gets each row's cells by header. */
  async editRoster(edit: (row: Record<string, string>) => Record<string, string> | undefined): Promise<void> {
    const file = path.join(this.dir, "desired-state", "hr", "roster.csv");
    const text = await readFile(file, "utf8");
    const eol = text.includes("\r\n") ? "\r\n" : "\n";
    const [header, ...lines] = text.trimEnd().split(/\r?\n/);
    const columns = header!.split(",");
    const out = [header];
    for (const line of lines) {
      // The sample roster has no quoted commas, so a plain split is exact here.
      const row = Object.fromEntries(line.split(",").map((v, i) => [columns[i]!, v]));
      const edited = edit(row);
      if (edited) out.push(columns.map((c) => edited[c] ?? "").join(","));
    }
    await writeFile(file, out.join(eol) + eol);
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * Gives the suite its own project on a sandbox of its own (a free port): `setUp` runs with it
 * before the suite's tests; the sandbox is stopped and the folder removed after them.
 */
export function sandboxSuite(setUp: (project: TempProject) => Promise<void>): void {
  let project: TempProject | undefined;
  beforeAll(async () => {
    project = await TempProject.create({ ROLECALL_SANDBOX_PORT: String(await freePort()) });
    await setUp(project);
  });
  afterAll(async () => {
    await project?.run("sandbox", "stop");
    await project?.remove();
  });
}
