import { mkdir, rename, symlink } from "node:fs/promises";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { lineOf } from "./harness.js";
import { refusals, type Sample } from "./load-support.js";

/** Moves a file of the sample out of the folder and links it back: a symlink leading out. */
async function linkedOut(p: Sample, rel: string): Promise<void> {
  const outside = path.join(p.project.dir, `outside-${path.basename(rel)}`);
  await rename(p.path(rel), outside);
  await symlink(outside, p.path(rel));
}

const fifo = (file: string) => execFileSync("mkfifo", [file]);

refusals("contained reads: every file stays inside desired-state/", [
  ["an export reached with ../ is refused at the file: line", async (p) => ({ code: "file-outside", file: "hr/source.yaml", line: await p.exportAt("../../somewhere.csv") })],
  ["an export climbing out in the middle of its path", async (p) => ({ code: "file-outside", file: "hr/source.yaml", line: await p.exportAt("sub/../../../roster.csv") })],
  ["an absolute export path", async (p) => ({ code: "file-outside", file: "hr/source.yaml", line: await p.exportAt("/etc/passwd") })],
  ["a roster symlinked from outside the folder", async (p) => {
    await linkedOut(p, "hr/roster.csv");
    return { code: "file-outside", file: "hr/source.yaml", line: lineOf(await p.read("hr/source.yaml"), "file:") };
  }],
  ["a directory given as the export (was EISDIR)", async (p) => {
    await mkdir(p.path("hr/exports"));
    return { code: "not-a-file", file: "hr/source.yaml", line: await p.exportAt("exports") };
  }],
  ["the export linked to /dev/zero is refused before a byte is read", async (p) => {
    await symlink("/dev/zero", p.path("hr/zero.csv"));
    return { code: "not-a-file", file: "hr/source.yaml", line: await p.exportAt("zero.csv") };
  }],
  ["the export is a FIFO nobody writes to: refused at once, not waited on", async (p) => {
    fifo(p.path("hr/pipe.csv"));
    return { code: "not-a-file", file: "hr/source.yaml", line: await p.exportAt("pipe.csv") };
  }],
  ["an export that is not there is missing at the file: line", async (p) => ({ code: "missing-file", file: "hr/source.yaml", line: await p.exportAt("nope.csv") })],
  ["a laxer policy.yaml symlinked in from outside", async (p) => {
    await linkedOut(p, "policy.yaml");
    return { code: "file-outside", file: "policy.yaml" };
  }],
  ["a roles file symlinked from outside", async (p) => {
    await linkedOut(p, "roles/departments.yaml");
    return { code: "file-outside", file: "roles/departments.yaml" };
  }],
  ["a whole rules folder symlinked from outside", async (p) => {
    const outside = path.join(p.project.dir, "outside-rules");
    await rename(p.path("rules"), outside);
    await symlink(outside, p.path("rules"));
    return { code: "file-outside", file: "rules/birthright.yaml" };
  }],
  ["a directory named like a YAML file in grants/", async (p) => {
    await mkdir(p.path("grants/extra.yaml"));
    return { code: "not-a-file", file: "grants/extra.yaml" };
  }],
  ["a FIFO named like a YAML file in service-accounts/", async (p) => {
    fifo(p.path("service-accounts/more.yaml"));
    return { code: "not-a-file", file: "service-accounts/more.yaml" };
  }],
]);

refusals("bounded reads: sizes and counts within the policy's limits", [
  ["an export over limits.maxExportBytes is refused at the file: line", async (p) => {
    await p.edit("policy.yaml", (t) => `${t.trimEnd()}\nlimits:\n  maxExportBytes: 2048\n`);
    return { code: "file-too-large", file: "hr/source.yaml", line: lineOf(await p.read("hr/source.yaml"), "file:") };
  }],
  ["an export over limits.maxRows stops at the first row past the limit", async (p) => {
    await p.edit("policy.yaml", (t) => `${t.trimEnd()}\nlimits:\n  maxRows: 10\n`);
    return { code: "hr-too-many-rows", file: "hr/roster.csv", line: 12 };
  }],
  ["a YAML file over limits.maxFileBytes", async (p) => {
    await p.edit("roles/workforce.yaml", (t) => t + `# ${"x".repeat(1024 * 1024)}\n`);
    return { code: "file-too-large", file: "roles/workforce.yaml" };
  }],
  ["a limit out of range in policy.yaml is refused at its key", async (p) => {
    const text = await p.edit("policy.yaml", (t) => `${t.trimEnd()}\nlimits:\n  maxRows: 0\n`);
    return { code: "schema", file: "policy.yaml", line: lineOf(text, "maxRows") };
  }],
  ["a 1 MB name is refused at its row", async (p) => ({ code: "hr-field-too-long", file: "hr/roster.csv", line: await p.setCell("W1005", "First Name", "E".repeat(1024 * 1024)) })],
  ["a 300-character family name is over limits.maxFieldLength", async (p) => ({ code: "hr-field-too-long", file: "hr/roster.csv", line: await p.setCell("W1008", "Last Name", "S".repeat(300)) })],
]);
