/**
 * Edits of the sample desired state for the load-side corpus: each case breaks one thing the
 * loader reads (a file reference, the export's bytes or shape, a YAML file) and names the
 * place the refusal must point at.
 */
import { afterAll, describe, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { TempProject } from "../e2e/support/project.js";
import { expectRefused, lineOf, sampleProject, validate } from "./harness.js";

export interface Want {
  code: string;
  /** Relative to desired-state/, as the loader names it. */
  file: string;
  line?: number;
}

/** A case: break the copy, then say where the refusal belongs (computed from what was written). */
export type Case = [name: string, breakIt: (p: Sample) => Promise<Want>];

/** Access to one copy of the sample's desired-state folder. */
export class Sample {
  constructor(readonly project: TempProject) {}

  path(rel: string): string {
    return path.join(this.project.dir, "desired-state", rel);
  }

  read(rel: string): Promise<string> {
    return readFile(this.path(rel), "utf8");
  }

  write(rel: string, content: string | Buffer): Promise<void> {
    return writeFile(this.path(rel), content);
  }

  async edit(rel: string, change: (text: string) => string): Promise<string> {
    const text = change(await this.read(rel));
    await this.write(rel, text);
    return text;
  }

  /** Points `file:` in hr/source.yaml elsewhere; the line of the key, where its problems belong. */
  async exportAt(file: string): Promise<number> {
    const text = await this.edit("hr/source.yaml", (t) => t.replace(/^file: .*$/m, `file: ${JSON.stringify(file)}`));
    return lineOf(text, "file:");
  }

  /** Replaces one worker's row by `row(cells)` (the sample roster has no quoted commas). */
  async editRow(workerId: string, row: (cells: string[]) => string): Promise<number> {
    const line = (await this.read("hr/roster.csv")).split(/\r?\n/).findIndex((l) => l.startsWith(`${workerId},`)) + 1;
    if (line === 0) throw new Error(`no row for ${workerId}`);
    await this.edit("hr/roster.csv", (t) => t.replace(new RegExp(`^${workerId},.*$`, "m"), (l) => row(l.split(","))));
    return line;
  }

  /** Sets one cell (by header) of one worker's row; returns the row's line. */
  async setCell(workerId: string, column: string, value: string): Promise<number> {
    const header = (await this.read("hr/roster.csv")).split(/\r?\n/, 1)[0]!.split(",");
    const index = header.indexOf(column);
    if (index < 0) throw new Error(`no column ${column}`);
    return this.editRow(workerId, (cells) => cells.map((c, i) => (i === index ? value : c)).join(","));
  }

  /** Appends a row built from another worker's, with edits; returns its line. */
  async copyRow(from: string, edits: Record<number, string>): Promise<number> {
    const text = await this.read("hr/roster.csv");
    const source = text.split(/\r?\n/).find((l) => l.startsWith(`${from},`))!;
    const cells = source.split(",").map((c, i) => edits[i] ?? c);
    const eol = text.includes("\r\n") ? "\r\n" : "\n";
    const body = text.endsWith(eol) ? text : text + eol;
    await this.write("hr/roster.csv", body + cells.join(",") + eol);
    return body.split(eol).length;
  }

  /** The sample roster as a JSON export (roster.json), `transform` applied to its text. */
  async asJson(transform: (json: string) => string = (j) => j): Promise<string> {
    const [header, ...rows] = (await this.read("hr/roster.csv")).trimEnd().split(/\r?\n/);
    const names = header!.split(",");
    const entries = rows.map((r) => Object.fromEntries(r.split(",").flatMap((v, i) => (v === "" ? [] : [[names[i]!, v]]))));
    const text = transform(JSON.stringify(entries, null, 2) + "\n");
    await this.write("hr/roster.json", text);
    await this.exportAt("roster.json");
    return text;
  }
}

/** One `it` per case, each on its own copy of the sample, validated the way CI does; one at a time, since each runs the CLI. */
export function refusals(title: string, cases: Case[]): void {
  describe(title, () => {
    const projects: TempProject[] = [];
    afterAll(async () => {
      await Promise.all(projects.map((p) => p.remove()));
    });
    for (const [name, breakIt] of cases) {
      it(name, async () => {
        const project = await sampleProject();
        projects.push(project);
        const want = await breakIt(new Sample(project));
        expectRefused(await validate(project), { ...want, file: `desired-state/${want.file}` });
      });
    }
  });
}
