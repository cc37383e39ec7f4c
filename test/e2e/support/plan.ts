import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { PlanDocument } from "../../../src/model/plan.js";
import type { CliResult, TempProject } from "./project.js";

/** Runs `rolecall <command> … --evidence <fresh dir>` and reads the plan it wrote. */
export async function planned(project: TempProject, ...args: string[]): Promise<{ plan: PlanDocument; dir: string; result: CliResult }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "rolecall-evidence-"));
  const result = await project.run(...args, "--evidence", dir);
  const plan = JSON.parse(await readFile(path.join(dir, "plan.json"), "utf8").catch(() => "null")) as PlanDocument;
  if (!plan) throw new Error(`rolecall ${args.join(" ")} wrote no plan (exit ${result.code})\n${result.stderr}\n${result.stdout}`);
  return { plan, dir, result };
}

/** The plan's entry for one identity. */
export function personIn(plan: PlanDocument, id: string) {
  return plan.people.find((p) => p.id === id);
}
