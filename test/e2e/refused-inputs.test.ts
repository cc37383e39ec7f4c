import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { lineOf } from "../corpus/harness.js";
import { Sample } from "../corpus/load-support.js";
import { freePort } from "../support/scim2-server.js";
import { TempProject } from "./support/project.js";

/** Where a refusal must point, relative to the project (as `apply` prints it). */
interface Place {
  code: string;
  file: string;
  line?: number;
}

const DS = (rel: string) => `desired-state/${rel}`;
const laughs = (levels: number) => {
  const lines = ["lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (let i = 1; i <= levels; i++) lines.push(`lol${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(", ")}]`);
  return lines.join("\n") + "\n";
};

/**
 * Hostile inputs that, accepted, would change access (delete a leaver from a file nobody
 * reviewed, bring a terminated person back, rename everyone, create a look-alike account):
 * `apply --yes` against the real engine and the sandbox refuses each with exit 1 and the
 * file:line, and the sandbox and the stack's state are byte-for-byte what they were.
 */
const cases: [name: string, breakIt: (p: Sample) => Promise<Place>][] = [
  ["the export read from outside desired-state/ (a leaver removed in a file nobody reviewed)", async (p) => {
    const roster = await p.read("hr/roster.csv");
    await writeFile(path.join(p.project.dir, "elsewhere.csv"), roster.replace(/^(W1010,.*)Active,/m, "$1Terminated,"));
    return { code: "file-outside", file: DS("hr/source.yaml"), line: await p.exportAt("../elsewhere.csv") };
  }],
  ["a laxer policy.yaml symlinked in from outside", async (p) => {
    const outside = path.join(p.project.dir, "lax-policy.yaml");
    await writeFile(outside, (await p.read("policy.yaml")).replace(/maxDeprovision: .*/, "maxDeprovision: { count: 1000, percent: 100 }"));
    await rm(p.path("policy.yaml"));
    await symlink(outside, p.path("policy.yaml"));
    return { code: "file-outside", file: DS("policy.yaml") };
  }],
  ["the status column renamed (a terminated person would come back)", async (p) => {
    await p.edit("hr/roster.csv", (t) => t.replace("Employment Status", "Employment State"));
    return { code: "hr-missing-column", file: DS("hr/roster.csv"), line: 1 };
  }],
  ["a duplicated CSV header (the second Department would win)", async (p) => {
    await p.edit("hr/roster.csv", (t) => t.replace(/^(.*)$/gm, (line, _l, offset: number) => (line === "" ? line : offset === 0 ? `${line},Department` : `${line},Sales`)));
    return { code: "hr-duplicate-column", file: DS("hr/roster.csv"), line: 1 };
  }],
  ["an unknown placeholder in the login template (everyone renamed)", async (p) => {
    const text = await p.edit("policy.yaml", (t) => t.replace('loginTemplate: "{preferred}.{family}"', 'loginTemplate: "{first}.{last}"'));
    return { code: "schema", file: DS("policy.yaml"), line: lineOf(text, "loginTemplate") };
  }],
  ["a typo in a service account's owner (the account would be deleted)", async (p) => {
    const text = await p.edit("service-accounts/integrations.yaml", (t) => t.replace("owner: W1004", "owner: W1O04"));
    return { code: "unknown-worker", file: DS("service-accounts/integrations.yaml"), line: lineOf(text, "owner: W1O04") };
  }],
  ["a NUL byte and an ANSI escape in the chief executive's name", async (p) => {
    await p.setCell("W1001", "Job Title", "\u001b[31mCEO\u001b[0m");
    return { code: "hr-control-character", file: DS("hr/roster.csv"), line: await p.setCell("W1001", "Last Name", "Mül\u0000ler") };
  }],
  ["a zero-width copy of a person (a second account)", async (p) => ({ code: "hr-invisible-character", file: DS("hr/roster.csv"), line: await p.copyRow("W1001", { 0: "W1999", 1: "Ada\u200b" }) })],
  ["a Cyrillic look-alike copy of a person", async (p) => ({ code: "hr-mixed-script", file: DS("hr/roster.csv"), line: await p.copyRow("W1001", { 0: "W1998", 1: "\u0410da" }) })],
  ["a billion-laughs catalog", async (p) => {
    const text = await p.edit("catalog.yaml", (t) => laughs(9) + t);
    return { code: "yaml-alias-bound", file: DS("catalog.yaml"), line: lineOf(text, "lol1:") };
  }],
  ["a name that makes an email local part over 64 characters", async (p) => {
    const line = await p.copyRow("W1010", { 0: "W2001", 3: `Maximilian${"a".repeat(67)}`, 4: "" });
    return { code: "scim-limit", file: DS("hr/roster.csv"), line };
  }],
  ["a plain-http SCIM endpoint off loopback in the stack file", async (p) => {
    const file = path.join(p.project.dir, "stacks", "Pulumi.local.yaml");
    const text = (await readFile(file, "utf8")).replace("endpoint: sandbox", "endpoint: http://scim.example.com/v2");
    await writeFile(file, text);
    return { code: "stack-schema", file: "stacks/Pulumi.local.yaml", line: lineOf(text, "http://scim") };
  }],
];

describe("hostile inputs are refused by apply, and nothing is applied", () => {
  let project: TempProject;
  let pristine: string;
  let applied: { target: string; state: string };
  const ls = async () => (await project.ok("sandbox", "ls", "--json")).stdout;
  const state = () => readFile(path.join(project.dir, ".rolecall", "state", ".pulumi", "stacks", "rolecall", "local.json"), "utf8");
  const engineLogs = () => readdir(path.join(project.dir, ".rolecall", "logs")).catch(() => [] as string[]);
  const outside = ["elsewhere.csv", "lax-policy.yaml"];

  beforeAll(async () => {
    project = await TempProject.create({ ROLECALL_SANDBOX_PORT: String(await freePort()) });
    await project.ok("apply", "--yes");
    applied = { target: await ls(), state: await state() };
    pristine = await mkdtemp(path.join(os.tmpdir(), "rolecall-refused-"));
    for (const dir of ["desired-state", "stacks"]) await cp(path.join(project.dir, dir), path.join(pristine, dir), { recursive: true });
  });
  afterEach(async () => {
    for (const dir of ["desired-state", "stacks"]) {
      await rm(path.join(project.dir, dir), { recursive: true, force: true });
      await cp(path.join(pristine, dir), path.join(project.dir, dir), { recursive: true });
    }
    for (const file of outside) await rm(path.join(project.dir, file), { force: true });
  });
  afterAll(async () => {
    await project.run("sandbox", "stop");
    await project.remove();
    await rm(pristine, { recursive: true, force: true });
  });

  it.each(cases)("%s", async (_name, breakIt) => {
    const want = await breakIt(new Sample(project));
    const logsBefore = await engineLogs();
    const result = await project.run("apply", "--yes");
    expect(result.code, result.stderr).toBe(1);
    const place = want.line === undefined ? `${want.file}` : `${want.file}:${want.line}`;
    expect(result.stderr).toContain(`${place}: error[${want.code}]`);
    expect(result.stderr).not.toMatch(/^\s+at .*\.js:\d+/m);
    // Refused before any preview: no engine run was logged, the target and state are as applied.
    expect(await engineLogs()).toEqual(logsBefore);
    expect(await ls()).toBe(applied.target);
    expect(await state()).toBe(applied.state);
  }, 120_000);

  it("the unbroken project still plans no change (each refusal left nothing behind)", async () => {
    const result = await project.run("apply", "--yes");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/applying stack/);
  }, 120_000);
});
