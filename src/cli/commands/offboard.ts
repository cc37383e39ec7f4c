import { nameOf } from "../../engine/failure.js";
import { stateResources } from "../../engine/state-sync.js";
import { previewRefresh } from "../../engine/operations.js";
import { notRevocations } from "../../offboard/only-revocations.js";
import { revocationScope } from "../../offboard/scope.js";
import { AppliedRecordSchema, revocationsOnly, type Revocation } from "../../offboard/revocations.js";
import { stackRecord } from "../../targets/record.js";
import { findProjectDir, progress, RefusedError } from "../context.js";
import type { FastPathProof } from "../proof.js";
import { prepareStackRun, type StackRun } from "../stack-run.js";
import { apply, type ApplyMode } from "./apply.js";

export interface OffboardOptions {
  stack: string;
  evidence?: string;
  yes?: boolean;
}

const FULL_RUN = "run `rolecall apply` (the full, reviewed run) for it";

/**
 * `rolecall offboard`: the leaver fast path. Applies only the revocations today's HR export
 * implies against what the stack last applied — accounts of people who left, went on leave or
 * dropped out disabled or deleted, and their holdings removed — with the full apply's
 * recovery, guardrails, evidence (marked as a fast-path run) and a read-back proof. Anything
 * else the preview would do refuses the run: joiners, movers, renames and catalog edits wait
 * for the next full run.
 */
export async function offboardCommand(opts: OffboardOptions): Promise<void> {
  const projectDir = await findProjectDir();
  const run = await prepareStackRun(projectDir, opts.stack, "offboard");
  try {
    await apply(run, projectDir, opts, offboardMode());
  } finally {
    await run.log.close();
  }
}

function offboardMode(): ApplyMode {
  let revocations: Revocation[] = [];
  let fromCatalog: string[] = [];
  return {
    fastPath: "offboard",
    narrow(run) {
      if (!run.previous) throw new RefusedError(`stack ${run.stackName} has never been applied: the fast path only revokes what an apply gave; ${FULL_RUN}`);
      const parsed = AppliedRecordSchema.safeParse(run.previous);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new RefusedError(
          `stack ${run.stackName}'s record of its last apply lacks what the fast path declares (${issue.path.join(".") || "its root"}: ${issue.message}) — it was written before the fast path existed; ${FULL_RUN} once`,
        );
      }
      const targets = Object.keys(run.settings.targets);
      const fast = revocationsOnly(run.desired, parsed.data, targets);
      if (fast.blockers.length > 0) throw new RefusedError(`the fast path cannot run: ${fast.blockers.join("; ")}; ${FULL_RUN}`);
      revocations = fast.revocations;
      fromCatalog = fast.fromCatalog;
      run.desired = fast.desired;
      run.declared = stackRecord(fast.desired, targets);
      // Only the revoked people's accounts, what depends on them and the items listing them can
      // change: the run declares those (with every item whole) and the engine touches nothing else.
      const accounts = new Set(revocations.map((r) => r.id));
      run.part = { accounts, ...revocationScope(stateResources(run.exported), accounts) };
      progress(revocations.length === 0 ? "nothing to revoke" : `revoking access of ${revocations.length} ${revocations.length === 1 ? "person" : "people"}: ${revocations.map((r) => `${r.id} (${r.state})`).join(", ")}`);
    },
    check(plan) {
      const problems = notRevocations(plan, revocations);
      if (problems.length === 0) return;
      const shown = problems.slice(0, 10).map((p) => `  - ${p}`);
      // A record from before items kept their fields: today's catalog was declared, and its edits show.
      const legacy = fromCatalog.length > 0 ? `\nthe stack's record keeps no fields of ${fromCatalog.slice(0, 3).join(", ")}${fromCatalog.length > 3 ? ", …" : ""} (written before it kept them), so their catalog edits could not wait: run \`rolecall apply\` once, and later catalog edits wait for the full run without stopping the fast path` : "";
      throw new RefusedError(
        `the fast-path preview holds more than revocations, so nothing was applied:\n${shown.join("\n")}${problems.length > 10 ? `\n  … and ${problems.length - 10} more` : ""}${legacy}\n${FULL_RUN}`,
      );
    },
    onlyPlanned: true,
    readBack: (run, written) => readBack(run, written, revocations),
  };
}

/**
 * The fast path's own check, beside the live proof every apply makes: after the update, each
 * resource it wrote (a disabled account, a group that lost a member) is read back from its
 * target and compared with the state the update left — a refresh that runs no program and
 * writes nothing; none may differ. Deleted accounts have nothing to read back here: the live
 * proof finds them absent.
 */
async function readBack(run: StackRun, written: readonly string[], revocations: Revocation[]): Promise<FastPathProof> {
  const differences: string[] = [];
  if (written.length > 0) {
    progress("reading the targets back to prove the offboarding…");
    await previewRefresh(run.stack, run.log, progress, { urns: written }, (e) => {
      const m = e.resOutputsEvent?.metadata;
      if (m && m.op !== "same" && m.op !== "refresh") differences.push(`${m.op} ${nameOf(m.urn)}${m.diffs?.length ? ` (${m.diffs.join(", ")})` : ""}`);
    });
  }
  return {
    readBack: {
      method: `after the update, each of the ${written.length} resource${written.length === 1 ? "" : "s"} it changed and did not delete was read back from its target and compared with what the update wrote (a refresh preview that runs no program)`,
      proven: differences.length === 0,
      differences,
    },
    revoked: Object.fromEntries(revocations.map(({ id, accounts, removed }) => [id, { accounts, removed }])),
  };
}
