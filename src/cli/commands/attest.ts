import { createRequire } from "node:module";
import path from "node:path";
import { departuresSince, withRosterLeavers } from "../../evidence/attest-history.js";
import { attestationOf, renderAttestation } from "../../evidence/attest.js";
import { bundleDir, writeAttestationFolder } from "../../evidence/bundle.js";
import { HistoryError } from "../../evidence/history.js";
import { gatherManifest } from "../../evidence/manifest.js";
import { notProvenLines } from "../../evidence/offboarding-proof.js";
import { PULUMI_VERSION } from "../../engine/pulumi-version.js";
import type { ProofVerdict } from "../../model/offboarding.js";
import type { StackRecord } from "../../targets/record.js";
import { findProjectDir, NotProvenError, progress, RefusedError, UsageError } from "../context.js";
import { readTargetsLive } from "../proof.js";
import { prepareStackRun } from "../stack-run.js";

const { version: ROLECALL_VERSION } = createRequire(import.meta.url)("../../../package.json") as { version: string };

export interface AttestOptions {
  stack: string;
  since: string;
  out?: string;
  evidence?: string;
}

/**
 * `rolecall attest --since DATE`: every identity whose access an applied run ended since the
 * date (from the stack's evidence bundles) and every leaver of today's HR export since then,
 * re-checked live now in every enabled target, into
 * a standalone folder `evidence verify` accepts. Exit 5 when anyone still holds access, 6 when
 * a target could not be read for someone, 1 when the history is missing or was edited.
 */
export async function attestCommand(opts: AttestOptions): Promise<void> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.since) || Number.isNaN(Date.parse(`${opts.since}T00:00:00Z`))) throw new UsageError(`--since ${opts.since} is not a date: give YYYY-MM-DD (applies with an as-of date on or after it are covered)`);
  const projectDir = await findProjectDir();
  const evidenceDir = opts.evidence ? path.resolve(opts.evidence) : path.join(projectDir, "evidence", opts.stack);
  const shown = path.relative(process.cwd(), evidenceDir) || ".";
  // The history first: a refused one costs no engine start.
  const history = await departuresSince(evidenceDir, opts.stack, opts.since, projectDir).catch((error: unknown) => {
    if (error instanceof HistoryError) throw new RefusedError(error.message);
    throw error;
  });
  if (history.sources.length === 0) {
    throw new RefusedError(`no applied evidence bundle of stack ${opts.stack} with an as-of date on or after ${opts.since} in ${shown}: attest takes who left from that history — point --evidence at the folder keeping the stack's bundles`);
  }
  const run = await prepareStackRun(projectDir, opts.stack, "attest");
  try {
    // The HR export too: a leaver whose apply bundle is missing is checked all the same, and named.
    const departures = withRosterLeavers(history.departures, run.roster, run.desired, run.policy, opts.since);
    const n = history.departures.length;
    const unbundled = departures.filter((d) => d.bundle === null);
    progress(`${n} ${n === 1 ? "identity" : "identities"} lost access in ${history.sources.length} applied run(s) since ${opts.since}${unbundled.length > 0 ? `, ${unbundled.length} more left per the HR export` : ""}; reading every enabled target live…`);
    const record = run.outputs.rolecall as StackRecord | undefined;
    const targets = await readTargetsLive(run, projectDir, record);
    const attestation = attestationOf({ stack: opts.stack, since: opts.since, departures, sources: history.sources, desired: run.desired, ...(record ? { record } : {}), targets });
    const manifest = await gatherManifest({
      stack: opts.stack,
      asOf: run.desired.asOf,
      desiredState: path.relative(projectDir, path.resolve(projectDir, run.settings.desiredState)) || ".",
      inputs: run.desired.inputs,
      versions: { rolecall: ROLECALL_VERSION, pulumi: PULUMI_VERSION, node: process.version },
      projectDir,
    });
    // Beside the stack's bundles; history readers skip it (it holds no applied.json).
    const stamp = path.basename(bundleDir(projectDir, opts.stack, new Date(manifest.createdAt)));
    const dir = opts.out ? path.resolve(opts.out) : path.join(projectDir, "evidence", opts.stack, `attestation-${stamp}`);
    await writeAttestationFolder(dir, attestation, renderAttestation(attestation), manifest);
    const where = path.relative(process.cwd(), dir);
    const checked = attestation.people.filter((p) => p.verdict !== "returned");
    process.stdout.write(`Attestation for stack ${opts.stack} since ${opts.since}: ${attestation.verdict} — ${checked.length} checked, ${attestation.people.length - checked.length} active again: ${where}\n`);
    for (const d of unbundled) process.stdout.write(`  ! ${d.id}: no applied evidence bundle since ${opts.since} names this leaver of the HR export — checked live all the same\n`);
    const lines = notProvenLines(checked.map((p) => ({ ...p, verdict: p.verdict as ProofVerdict })));
    for (const line of lines) process.stdout.write(`  ✗ ${line}\n`);
    const summary = lines.slice(0, 10).join("; ") + (lines.length > 10 ? `; … and ${lines.length - 10} more` : "");
    if (attestation.verdict === "failed") throw new NotProvenError(`attestation failed — access remains: ${summary}; see ${where}`, "failed");
    if (attestation.verdict === "unverified") throw new NotProvenError(`attestation unverified — a target could not be read live: ${summary}; see ${where}`, "unverified");
  } finally {
    await run.log.close();
  }
}
