import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureActionlint } from "../support/actionlint.js";

/**
 * The workflows are code that holds the credentials: actionlint checks their syntax,
 * expressions, action inputs and job permissions. Installed once into the tool cache from
 * the Go module proxy (here rather than in the e2e global setup, so only this suite waits for it).
 */
describe("the GitHub workflows", () => {
  let actionlint: string;
  beforeAll(async () => {
    actionlint = await ensureActionlint((line) => process.stderr.write(`[actionlint] ${line}\n`));
  }, 600_000);

  it("pass actionlint", async () => {
    const workflows = (await readdir(".github/workflows")).filter((n) => /\.ya?ml$/.test(n)).map((n) => path.join(".github/workflows", n));
    expect(workflows.length).toBeGreaterThanOrEqual(3);
    const result = await promisify(execFile)(actionlint, ["-no-color", "-format", "{{range $err := .}}{{$err.Filepath}}:{{$err.Line}}: {{$err.Message}}\n{{end}}", ...workflows]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, stdout: `${error.stdout ?? ""}${error.stderr ?? ""}` }),
    );
    expect(result.stdout).toBe("");
    expect(result.code).toBe(0);
  });

  it("catches a broken workflow (the linter really runs)", async () => {
    const broken = "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.nope( }}\n";
    const dir = await mkdtemp(path.join(os.tmpdir(), "rolecall-actionlint-"));
    try {
      await writeFile(path.join(dir, "bad.yml"), broken);
      const code = await promisify(execFile)(actionlint, ["-no-color", path.join(dir, "bad.yml")]).then(
        () => 0,
        (error: { code?: number }) => error.code ?? 1,
      );
      expect(code).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
