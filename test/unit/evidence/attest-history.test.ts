import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { attestationOf, renderAttestation } from "../../../src/evidence/attest.js";
import { departuresSince, withRosterLeavers, type Departure } from "../../../src/evidence/attest-history.js";
import { writeApplied, writeOffboarding, writePlanBundle } from "../../../src/evidence/bundle.js";
import { HistoryError } from "../../../src/evidence/history.js";
import { loadDesiredState } from "../../../src/load/desired-state-dir.js";
import type { OffboardingProof } from "../../../src/model/offboarding.js";
import type { Worker } from "../../../src/model/person.js";
import type { PlanDocument } from "../../../src/model/plan.js";
import { appliedDocument, sealedPlan } from "./render-fixture.js";

/** The fixture plan (W1010 leaves, as of 2026-03-02) applied and proven, as apply writes it. */
async function appliedBundle(dir: string): Promise<PlanDocument> {
  const plan = sealedPlan();
  await writePlanBundle(dir, plan);
  await writeApplied(dir, appliedDocument(plan));
  const proof: OffboardingProof = {
    schemaVersion: 2,
    stack: "local",
    planDigest: plan.digest,
    checkedAt: "2026-03-02T08:17:30Z",
    method: "live read",
    verdict: "proven",
    proven: true,
    unread: [],
    people: [{ id: "W1010", kind: "person", state: "leaver", reason: "terminated on 2026-02-27 (grace 0 days)", logins: ["jonas.weber"], verdict: "proven", targets: [] }],
  };
  await writeOffboarding(dir, proof, plan);
  return plan;
}

describe("attest's reading of the evidence history", () => {
  let root: string;
  let bundle: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "rolecall-attest-history-"));
    bundle = path.join(root, "20260302T081600Z");
    await appliedBundle(bundle);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const read = () => departuresSince(root, "local", "2026-03-01", root);

  it("takes who left from an applied bundle whose files all verify", async () => {
    const { departures, sources } = await read();
    expect(departures).toEqual([expect.objectContaining({ id: "W1010", state: "leaver", logins: ["jonas.weber"], bundle: "20260302T081600Z", asOf: "2026-03-02" })]);
    expect(sources).toEqual([expect.objectContaining({ bundle: "20260302T081600Z", asOf: "2026-03-02" })]);
  });

  it("refuses an applied bundle without files.json, naming the file and the fix, instead of skipping it", async () => {
    await rm(path.join(bundle, "files.json"));
    const error = await read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HistoryError);
    expect(error).toMatchObject({ file: "20260302T081600Z/files.json" });
    expect((error as HistoryError).message).toMatch(/20260302T081600Z\/files\.json is missing: .*restore/);
  });

  it("refuses an applied bundle with any file that does not verify, even one attest does not read", async () => {
    const file = path.join(bundle, "plan.md");
    await writeFile(file, (await readFile(file, "utf8")) + "edited\n");
    await expect(read()).rejects.toMatchObject({ file: "20260302T081600Z/plan.md", message: expect.stringMatching(/plan\.md was changed after it was written .*rolecall evidence verify 20260302T081600Z/) });
    await rm(file);
    await expect(read()).rejects.toMatchObject({ file: "20260302T081600Z/plan.md", message: expect.stringMatching(/plan\.md is missing/) });
  });

  it("hashes whole only the bundles it takes leavers from: one before the date is another question (evidence verify's)", async () => {
    const file = path.join(bundle, "plan.md");
    await writeFile(file, (await readFile(file, "utf8")) + "edited\n");
    expect(await departuresSince(root, "local", "2026-03-03", root)).toEqual({ departures: [], sources: [] });
  });

  it("refuses an applied.json its files.json does not list, rather than taking the bundle for a plan", async () => {
    const index = JSON.parse(await readFile(path.join(bundle, "files.json"), "utf8")) as { files: Record<string, string> };
    delete index.files["applied.json"];
    await writeFile(path.join(bundle, "files.json"), JSON.stringify(index));
    await expect(read()).rejects.toMatchObject({ file: "20260302T081600Z/applied.json", message: expect.stringMatching(/not listed in its files\.json/) });
  });
});

const inputs = await loadDesiredState("desired-state");

describe("attest's leavers from today's HR export", () => {
  const asOf = "2026-03-20";
  // W1010 left on 2026-03-05, W1011 on 2026-02-10 (before the quarter), W1012 is terminated
  // with no date, W1013 leaves on 2026-03-25 (in grace until then).
  const ended: Record<string, Partial<Worker>> = { W1010: { status: "terminated", endDate: "2026-03-05" }, W1011: { status: "terminated", endDate: "2026-02-10" }, W1012: { status: "terminated" }, W1013: { status: "terminated", endDate: "2026-03-25" } };
  const roster = inputs.roster.map((w) => (ended[w.value.workerId] ? { ...w, value: { ...w.value, ...ended[w.value.workerId] } } : w));
  const desired = compile({ ...inputs, roster }, asOf);
  const fromBundle: Departure = { id: "W1012", kind: "person", state: "leaver", reason: "terminated in HR (no end date)", logins: ["w1012.login"], bundle: "evidence/local/20260315T000000Z", asOf: "2026-03-15" };

  it("adds every leaver past grace who left on or after the date, named as having no bundle, and keeps the bundle of one the history names", () => {
    const all = withRosterLeavers([fromBundle], roster, desired, inputs.policy, "2026-03-01");
    expect(all.map((d) => d.id)).toEqual(["W1010", "W1012"]);
    expect(all[0]).toMatchObject({ id: "W1010", kind: "person", state: "leaver", bundle: null, asOf, logins: [] });
    expect(all[0]!.reason).toMatch(/^left on 2026-03-05; grace of 0 days over \(HR export .*roster\.csv:\d+\); no applied evidence bundle since 2026-03-01 names it$/);
    expect(all[1]).toEqual(fromBundle);
  });

  it("is checked live like any other leaver, and attestation.md names the missing bundle", () => {
    const [w1010] = withRosterLeavers([], roster, desired, inputs.policy, "2026-03-01");
    const live = { accounts: [{ id: "u1", userName: "jonas.weber", externalId: "W1010", emails: [] }], items: [] };
    const a = attestationOf({ stack: "local", since: "2026-03-01", departures: [w1010!], sources: [], desired, targets: [{ target: "scim", users: [], items: [], live, readAt: "2026-03-20T08:00:00Z" }] });
    expect(a.people).toEqual([expect.objectContaining({ id: "W1010", verdict: "failed", left: { bundle: null, asOf } })]);
    expect(renderAttestation(a)).toMatch(/`W1010` \| leaver \| ⚠️ no evidence bundle \(HR export as of 2026-03-20\)/);
  });
});
