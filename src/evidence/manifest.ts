import { execFile } from "node:child_process";
import os from "node:os";
import { promisify } from "node:util";
import type { Manifest } from "../model/plan.js";

export interface ManifestFacts {
  stack: string;
  asOf: string;
  desiredState: string;
  inputs: Manifest["inputs"];
  versions: Manifest["versions"];
  override?: string;
  changeOverride?: string;
  fastPath?: "offboard";
  scope?: Manifest["scope"];
  projectDir: string;
  now?: Date;
}

/** Who ran what, on which inputs and code: the part of the evidence that is not the plan. */
export async function gatherManifest(facts: ManifestFacts): Promise<Manifest> {
  return {
    stack: facts.stack,
    asOf: facts.asOf,
    createdAt: (facts.now ?? new Date()).toISOString(),
    desiredState: facts.desiredState,
    inputs: facts.inputs,
    git: await gitState(facts.projectDir),
    versions: facts.versions,
    ranBy: ranBy(),
    ...(facts.override ? { override: facts.override } : {}),
    ...(facts.changeOverride ? { changeOverride: facts.changeOverride } : {}),
    ...(facts.fastPath ? { fastPath: facts.fastPath } : {}),
    ...(facts.scope ? { scope: facts.scope } : {}),
  };
}

async function gitState(dir: string): Promise<Manifest["git"]> {
  const git = (...args: string[]) => promisify(execFile)("git", args, { cwd: dir }).then((r) => r.stdout.trim());
  try {
    const commit = await git("rev-parse", "HEAD");
    const dirty = (await git("status", "--porcelain")).length > 0;
    return { commit, dirty };
  } catch {
    return null;
  }
}

function ranBy(): Manifest["ranBy"] {
  const ci = process.env.GITHUB_ACTIONS
    ? `github-actions ${process.env.GITHUB_REPOSITORY ?? ""} run ${process.env.GITHUB_RUN_ID ?? "?"} by ${process.env.GITHUB_ACTOR ?? "?"}`
    : process.env.CI
      ? "ci"
      : undefined;
  return { user: os.userInfo().username, host: os.hostname(), ...(ci ? { ci } : {}) };
}
