import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { compile } from "../../compile/compile.js";
import { HistoryError } from "../../evidence/history.js";
import { loadDesiredState } from "../../load/desired-state-dir.js";
import type { DesiredState } from "../../model/desired-state.js";
import type { Finding } from "../../model/finding.js";
import type { Inputs } from "../../model/inputs.js";
import { appendExclusions, MAX_REVIEW_BYTES, parseReview, removeGrantsFromYaml, reviewChanges } from "../../review/apply-review.js";
import { campaignFiles } from "../../review/campaign.js";
import { explain, ExplainError, explanationText } from "../../review/explain.js";
import { readAppliedRuns, sinceIndex } from "../../review/history.js";
import { filterHoldings, holdingsOf, type HoldingFilter } from "../../review/holdings.js";
import { renderHoldings, type AccessFormat } from "../../review/render.js";
import { findProjectDir, RefusedError, UsageError } from "../context.js";
import { errorCount, loadAndCompile } from "../desired.js";
import { formatFindings } from "../findings-format.js";
import { refreshCodeowners } from "./codeowners.js";

/** Loads and compiles; refuses (exit 1) when the inputs have errors: a review of a state that does not compile would mislead. */
async function compiled(dir: string, asOf: string | undefined): Promise<{ inputs: Inputs; desired: DesiredState }> {
  const { inputs, desired } = await loadAndCompile(dir, asOf);
  const errors = errorCount(desired);
  if (errors > 0) {
    process.stderr.write(formatFindings(desired.findings.filter((f) => f.severity === "error"), "text", dir) + "\n");
    throw new RefusedError(`${errors} error${errors === 1 ? "" : "s"} in ${dir}; fix them first (rolecall validate)`);
  }
  return { inputs, desired };
}

interface AccessOptions extends HoldingFilter {
  dir: string;
  asOf?: string;
  stack: string;
  format: AccessFormat;
  campaign?: string;
  out: string;
}

/**
 * `rolecall access`: who holds what, in which target, since when, why, and who owns the role —
 * filtered by person, entitlement, role owner or manager; or `--campaign DIR`, one file per
 * role owner and per manager.
 */
export async function accessCommand(opts: AccessOptions): Promise<void> {
  const { inputs, desired } = await compiled(opts.dir, opts.asOf);
  const projectDir = await findProjectDir(path.resolve(opts.dir));
  let since;
  try {
    since = sinceIndex(await readAppliedRuns(path.join(projectDir, "evidence", opts.stack), process.cwd()));
  } catch (error) {
    if (error instanceof HistoryError) throw new RefusedError(error.message);
    throw error;
  }
  const rows = filterHoldings(holdingsOf(desired, inputs, since), opts);
  const header = { asOf: desired.asOf, inputs: desired.inputs };
  if (opts.campaign) {
    const format = opts.format === "text" ? "csv" : opts.format;
    await mkdir(opts.campaign, { recursive: true });
    const files = campaignFiles(rows, header, format);
    for (const f of files) await writeFile(path.join(opts.campaign, f.name), f.content);
    process.stdout.write(`${files.length} review files in ${opts.campaign}: ${files.map((f) => `${f.name} (${f.rows})`).join(", ")}\n`);
    return;
  }
  const scope = [opts.person && `person ${opts.person}`, opts.group && `entitlement ${opts.group}`, opts.owner && `roles owned by ${opts.owner}`, opts.manager && `reports of ${opts.manager}`].filter(Boolean).join(", ");
  const text = renderHoldings(rows, { ...header, title: `Access review${scope ? `: ${scope}` : ""}` }, opts.format);
  if (opts.out === "-") process.stdout.write(text);
  else await writeFile(opts.out, text);
}

/** `rolecall explain WORKER [ENTITLEMENT]`: why someone holds something, or why not. */
export async function explainCommand(worker: string, subject: string | undefined, opts: { dir: string; asOf?: string }): Promise<void> {
  const { inputs, desired } = await compiled(opts.dir, opts.asOf);
  if (subject === undefined) {
    const rows = filterHoldings(holdingsOf(desired, inputs, () => undefined), { person: worker });
    const person = desired.people.find((p) => p.id === worker);
    if (!person && rows.length === 0) throw new UsageError(`${worker} is neither in the HR roster nor a service account`);
    process.stdout.write(`${worker}${person ? ` ${person.displayName}: ${person.state} (${person.stateReason})` : ""}\n`);
    for (const r of rows) process.stdout.write(`  ${r.target} ${r.kind} ${r.entitlement} ← role ${r.role}\n${r.reasons.map((x) => `      because ${x.chain}\n`).join("")}`);
    return;
  }
  try {
    process.stdout.write(explanationText(explain(desired, inputs, worker, subject)));
  } catch (error) {
    if (error instanceof ExplainError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * `rolecall access apply-review FILE`: a reviewer's CSV with `revoke` marks becomes the
 * desired-state change for a pull request — grants removed, exclusions added — with the
 * review file copied under reviews/, so its hash goes into every later plan's evidence.
 * Nothing is written unless every decision can be carried out.
 */
export async function applyReviewCommand(file: string, opts: { dir: string; asOf?: string; ticket?: string }): Promise<void> {
  const dir = path.resolve(opts.dir);
  const text = await readFile(file, "utf8").catch(() => {
    throw new UsageError(`cannot read ${file}`);
  });
  if (Buffer.byteLength(text) > MAX_REVIEW_BYTES) throw new RefusedError(`${file} is larger than ${MAX_REVIEW_BYTES} bytes; split the review (rolecall access --campaign)`);
  const name = path.basename(file).replace(/[^A-Za-z0-9._-]/g, "_").replace(/\.csv$/i, "");
  const reviewRel = `reviews/${name}.csv`;
  const { inputs, desired } = await compiled(opts.dir, opts.asOf);
  // Findings point at the reviewer's file as given; the exclusions name its copy under reviews/.
  const given = path.relative(process.cwd(), path.resolve(file));
  const parsed = parseReview(given, text);
  const changes = reviewChanges(parsed.decisions, desired, inputs, reviewRel, opts.ticket);
  const findings: Finding[] = [...parsed.findings, ...changes.findings.map((f) => ({ ...f, file: given }))];
  if (findings.length > 0) process.stderr.write(formatFindings(findings, "text", ".") + "\n");
  if (findings.some((f) => f.severity === "error")) throw new RefusedError(`the review cannot be applied as it is; nothing was changed`);

  const existing = await readFile(path.join(dir, reviewRel), "utf8").catch(() => undefined);
  if (existing !== undefined && existing !== text) throw new RefusedError(`${opts.dir}/${reviewRel} already exists with other content; rename the review file`);
  if (changes.removeGrants.length === 0 && changes.exclusions.length === 0) {
    process.stdout.write("No revocations to apply: nothing changed.\n");
    return;
  }
  const writes = new Map<string, string>();
  for (const grantFile of new Set(changes.removeGrants.map((g) => g.at.file))) {
    const ids = new Set(changes.removeGrants.filter((g) => g.at.file === grantFile).map((g) => g.value.id));
    writes.set(grantFile, removeGrantsFromYaml(await readFile(path.join(dir, grantFile), "utf8"), ids));
  }
  if (changes.exclusions.length > 0) {
    const exclusionsRel = `exclusions/${name}.yaml`;
    writes.set(exclusionsRel, appendExclusions(await readFile(path.join(dir, exclusionsRel), "utf8").catch(() => undefined), changes.exclusions));
  }
  writes.set(reviewRel, text);
  for (const [rel, content] of writes) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }

  const codeowners = await refreshCodeowners(opts.dir);
  const changed = [...[...writes.keys()].map((r) => `${opts.dir}/${r}`), ...(codeowners ? [path.relative(process.cwd(), codeowners)] : [])];

  // Check the change does what the reviewer decided before anyone opens a pull request.
  const after = compile(await loadDesiredState(dir), desired.asOf);
  const still = parsed.decisions.filter((d) => d.decision === "revoke" && after.people.some((p) => p.id === d.worker && p.roles.some((r) => r.role === d.role)));
  const errors = errorCount(after);
  process.stdout.write([`Applied the review ${file}:`, ...changes.summary.map((s) => `  - ${s}`), `Changed: ${changed.join(", ")}`].join("\n") + "\n");
  if (errors > 0 || still.length > 0) {
    throw new RefusedError(`after the change, ${errors > 0 ? `${errors} validation error(s)` : ""}${errors > 0 && still.length > 0 ? " and " : ""}${still.length > 0 ? `still held: ${still.map((d) => `${d.worker} ${d.role}`).join(", ")}` : ""}; review the edits before committing`);
  }
  process.stdout.write("Open a pull request with these changes: the role owners review it (CODEOWNERS), and the next apply revokes the access.\n");
}
