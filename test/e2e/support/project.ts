import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
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
    return result;
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
