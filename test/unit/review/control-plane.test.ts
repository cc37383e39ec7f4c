import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectRefused, lineOf, SAMPLE_AS_OF, validate } from "../../corpus/harness.js";
import { TempProject } from "../../e2e/support/project.js";

const PRIVILEGED_GRANT = [
  "  - id: it-admin-cover",
  "    worker: W1020",
  "    role: it-admin",
  "    reason: Covers the help desk during the migration",
  "    ticket: IAM-4900",
  "    approvedBy: W1006",
  "    granted: 2026-11-20",
  "    expires: 2026-12-20",
  "",
].join("\n");

// Each case runs the CLI several times; on a shared 2-core machine that takes a while.
describe("control-plane safety", { timeout: 240_000 }, () => {
  let project: TempProject;
  const file = (rel: string) => path.join(project.dir, rel);
  const edit = async (rel: string, change: (text: string) => string) => writeFile(file(rel), change(await readFile(file(rel), "utf8")));

  beforeEach(async () => {
    project = await TempProject.create();
  }, 60_000);
  afterEach(async () => project.remove());

  it("refuses a privileged grant approved by its own grantee, at the grant's line", async () => {
    await edit("desired-state/grants/2026-q4.yaml", (t) => t + PRIVILEGED_GRANT.replace("approvedBy: W1006", "approvedBy: W1020"));
    const text = await readFile(file("desired-state/grants/2026-q4.yaml"), "utf8");
    expectRefused(await validate(project), { code: "grant-self-approved", file: "desired-state/grants/2026-q4.yaml", line: lineOf(text, "id: it-admin-cover") });
  });

  it("refuses, in a pull request, a privileged grant its author approved — and an author it cannot map to a worker", async () => {
    await edit("desired-state/grants/2026-q4.yaml", (t) => t + PRIVILEGED_GRANT);
    const line = lineOf(await readFile(file("desired-state/grants/2026-q4.yaml"), "utf8"), "id: it-admin-cover");
    // The grant touches it-admin: its owner now reviews the grants file.
    expectRefused(await validate(project), { code: "codeowners-stale", file: "desired-state/../.github/CODEOWNERS" });
    await project.ok("codeowners");
    expect((await validate(project)).code).toBe(0);
    expectRefused(await validate(project, "--pr-author", "Farah-Haddad"), { code: "grant-approved-by-author", file: "desired-state/grants/2026-q4.yaml", line });
    expectRefused(await validate(project, "--pr-author", "someone-else"), { code: "grant-author-unknown", file: "desired-state/grants/2026-q4.yaml", line });
    expect((await validate(project, "--pr-author", "tomas-silva")).code).toBe(0);
    // The environment variable the plan workflow may set instead of the flag.
    const viaEnv = await promisify(execFile)(process.execPath, [path.join(project.dir, "bin", "rolecall.js"), "validate", "--as-of", SAMPLE_AS_OF], {
      cwd: project.dir,
      env: { ...process.env, ROLECALL_PR_AUTHOR: "farah-haddad" },
    }).then(
      () => 0,
      (error: { code?: number }) => error.code,
    );
    expect(viaEnv).toBe(1);
  });

  it("leaves a privileged grant the base branch already had alone: an earlier review approved it", async () => {
    const base = await TempProject.create();
    try {
      for (const p of [project, base]) await writeFile(path.join(p.dir, "desired-state/grants/2026-q4.yaml"), (await readFile(path.join(p.dir, "desired-state/grants/2026-q4.yaml"), "utf8")) + PRIVILEGED_GRANT);
      await project.ok("codeowners");
      expect((await validate(project, "--pr-author", "farah-haddad", "--pr-base", path.join(base.dir, "desired-state"))).code).toBe(0);
      await edit("desired-state/grants/2026-q4.yaml", (t) => t.replace("expires: 2026-12-20", "expires: 2027-01-20"));
      expectRefused(await validate(project, "--pr-author", "farah-haddad", "--pr-base", path.join(base.dir, "desired-state")), { code: "grant-approved-by-author", file: "desired-state/grants/2026-q4.yaml" });
    } finally {
      await base.remove();
    }
  });

  it("fails validate when CODEOWNERS is stale, until rolecall codeowners regenerates it", async () => {
    expect((await validate(project)).code).toBe(0);
    expect((await project.run("codeowners", "--check")).code).toBe(0);
    // Ownership of a role moves to someone else: their review is now the one required.
    await edit("desired-state/roles/workforce.yaml", (t) => t.replace("description: Berlin office access\n    owner: W1006", "description: Berlin office access\n    owner: W1039"));
    const stale = await validate(project);
    expectRefused(stale, { code: "codeowners-stale", file: "desired-state/../.github/CODEOWNERS", line: lineOf(await readFile(file(".github/CODEOWNERS"), "utf8"), "/desired-state/roles/workforce.yaml") });
    expect((await project.run("codeowners", "--check")).code).toBe(1);
    await project.ok("codeowners");
    const owners = await readFile(file(".github/CODEOWNERS"), "utf8");
    expect(owners).toContain("/desired-state/roles/workforce.yaml @elif-yilmaz @farah-haddad @mia-kim\n");
    expect(owners).toContain("/desired-state/policy.yaml @example-org/security\n");
    expect(owners).toContain("/desired-state/hr/ @example-org/security\n");
    expect(owners).toContain("/desired-state/grants/2026-q4.yaml @dmitri-ivanov @goncalo-ferreira\n");
    expect(owners.split("\n")[2]).toBe("* @example-org/security");
    expect((await validate(project)).code).toBe(0);
  });

  it("refuses a role whose owner has no GitHub handle, at the role's line", async () => {
    await edit("desired-state/github.yaml", (t) => t.replace("  W1007: goncalo-ferreira\n", ""));
    const roles = await readFile(file("desired-state/roles/departments.yaml"), "utf8");
    expectRefused(await validate(project), { code: "codeowners-no-handle", file: "desired-state/roles/departments.yaml", line: lineOf(roles, "id: marketing") });
    expect((await project.run("codeowners")).code).toBe(1);
  });
});
