import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sha256, writeApplied, writeAttestationFolder, writeOffboarding, writePlanBundle } from "../../../src/evidence/bundle.js";
import { attestationOf } from "../../../src/evidence/attest.js";
import { judge, subjectsOf, type ProofTarget } from "../../../src/evidence/offboarding-proof.js";
import { compile } from "../../../src/compile/compile.js";
import { loadDesiredState } from "../../../src/load/desired-state-dir.js";
import type { OffboardingProof } from "../../../src/model/offboarding.js";
import { verifyBundle } from "../../../src/evidence/verify.js";
import type { AppliedDocument, PlanDocument } from "../../../src/model/plan.js";
import { appliedDocument, sealedPlan } from "./render-fixture.js";

const desired = compile(await loadDesiredState("desired-state"), "2026-03-02");
const AT = "2026-03-02T08:17:30.000Z";

/** The proof apply writes: every leaver of the plan judged against a live read of the target. */
function proofOf(plan: PlanDocument, live: ProofTarget["live"] = { accounts: [], items: [] }): OffboardingProof {
  const people = judge(subjectsOf(plan.people, desired, undefined), [{ target: "scim", users: [], items: [], live, readAt: AT }]);
  const failed = people.some((p) => p.verdict === "failed");
  return { schemaVersion: 2, stack: plan.manifest.stack, planDigest: plan.digest, checkedAt: AT, method: "live read", verdict: failed ? "failed" : "proven", proven: !failed, unread: [], people };
}

describe("evidence verify after an apply", () => {
  let project: string;
  let bundle: string;
  let plan: PlanDocument;

  beforeEach(async () => {
    project = await mkdtemp(path.join(tmpdir(), "rolecall-verify-"));
    bundle = path.join(project, "evidence");
    plan = sealedPlan();
    await writePlanBundle(bundle, plan);
  });
  afterEach(() => rm(project, { recursive: true, force: true }));

  const applied = (over: Partial<AppliedDocument>): AppliedDocument => appliedDocument(plan, over);

  it("holds for a plan applied exactly, step for step, with its leaver proven gone", async () => {
    await writeApplied(bundle, applied({}));
    await writeOffboarding(bundle, proofOf(plan), plan);
    expect(await verifyBundle(bundle, project)).toEqual([]);
    expect(await readFile(path.join(bundle, "plan.md"), "utf8")).toContain("### Offboarding proof");
    expect(await readFile(path.join(bundle, "plan.html"), "utf8")).toContain(`id="offboarding"`);
  });

  it("fails an apply bundle without offboarding.json", async () => {
    await writeApplied(bundle, applied({}));
    expect(await verifyBundle(bundle, project)).toEqual([expect.stringMatching(/^offboarding\.json is missing/)]);
  });

  it("fails a proof that says not proven, naming who", async () => {
    await writeApplied(bundle, applied({}));
    await writeOffboarding(bundle, proofOf(plan, { accounts: [{ id: "u1", userName: "jonas.weber", externalId: "W1010", emails: [] }], items: [] }), plan);
    const problems = await verifyBundle(bundle, project);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/not proven \(failed\): W1010/);
  });

  it("fails a proof edited after it was written, one that leaves a leaver out, one of another plan, and verdicts that do not follow from what was found", async () => {
    await writeApplied(bundle, applied({}));
    await writeOffboarding(bundle, proofOf(plan), plan);
    const file = path.join(bundle, "offboarding.json");
    const good = await readFile(file, "utf8");
    await writeFile(file, good.replace('"proven": true', '"proven": false'));
    expect((await verifyBundle(bundle, project)).some((p) => p.startsWith("offboarding.json was changed after it was written"))).toBe(true);

    const proof = proofOf(plan);
    const found = { ...proof.people[0]!.targets[0]!, remaining: [{ account: "u1", kind: "group", item: "developers", inCatalog: true }] };
    const rewritten = async (p: OffboardingProof) => {
      await writeOffboarding(bundle, p, plan);
      return verifyBundle(bundle, project);
    };
    expect(await rewritten({ ...proof, people: [] })).toEqual([expect.stringMatching(/leaves out W1010, whose access the plan ends \(leaver\)/)]);
    expect(await rewritten({ ...proof, planDigest: "0".repeat(64) })).toEqual(["offboarding.json belongs to another plan (digest differs)"]);
    expect((await rewritten({ ...proof, people: [{ ...proof.people[0]!, targets: [found] }] })).some((p) => /W1010 in scim says proven but records what makes it failed/.test(p))).toBe(true);
    // An enabled account holding nothing proves someone only where the target cannot disable one (AWS).
    const keptEnabled = { ...proof.people[0]!.targets[0]!, accounts: [{ id: "u1", userName: "jonas.weber", active: true }] };
    expect(await rewritten({ ...proof, people: [{ ...proof.people[0]!, targets: [{ ...keptEnabled, expected: "without-access" }] }] })).toEqual([]);
    expect((await rewritten({ ...proof, people: [{ ...proof.people[0]!, targets: [{ ...keptEnabled, expected: "disabled" }] }] })).some((p) => /W1010 in scim says proven but records what makes it failed/.test(p))).toBe(true);
    await writeFile(file, JSON.stringify({ ...proof, schemaVersion: 1 }));
    await writeFile(path.join(bundle, "files.json"), JSON.stringify({ files: { ...JSON.parse(await readFile(path.join(bundle, "files.json"), "utf8")).files, "offboarding.json": sha256(await readFile(file)) } }));
    expect((await verifyBundle(bundle, project))[0]).toMatch(/offboarding\.json does not match the offboarding schema/);
  });

  it("fails a bundle whose apply started and never recorded its end (killed mid-update)", async () => {
    const { finishedAt: _, ...started } = applied({ result: "started", steps: [] });
    await writeApplied(bundle, started);
    const problems = await verifyBundle(bundle, project);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/never recorded its end/);
  });

  it("fails an apply that left a planned step undone, or did one nobody planned", async () => {
    const [first, ...rest] = applied({}).steps;
    await writeApplied(bundle, applied({ steps: [...rest, { ...first!, urn: `${first!.urn}-other` }] }));
    await writeOffboarding(bundle, proofOf(plan), plan);
    const problems = await verifyBundle(bundle, project);
    expect(problems).toContain(`planned but not applied: ${first!.op} ${first!.urn}`);
    expect(problems).toContain(`applied but not planned: ${first!.op} ${first!.urn}-other`);
  });

  it("fails a bundle whose applied.json was edited after it was written", async () => {
    await writeApplied(bundle, applied({}));
    await writeOffboarding(bundle, proofOf(plan), plan);
    const file = path.join(bundle, "applied.json");
    await writeFile(file, (await readFile(file, "utf8")).replace('"succeeded"', '"succeeded" '));
    expect((await verifyBundle(bundle, project)).some((p) => p.startsWith("applied.json was changed after it was written"))).toBe(true);
  });
});

describe("evidence verify on an attestation folder", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "rolecall-attest-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const departure = { id: "W1026", kind: "person" as const, state: "leaver" as const, reason: "left on 2026-10-30", logins: [], bundle: "evidence/local/20261101T000000Z", asOf: "2026-11-01" };
  const attest = (live: ProofTarget["live"]) =>
    attestationOf({ stack: "local", since: "2026-10-01", departures: [departure], sources: [], desired, targets: [{ target: "scim", users: [], items: [], live, readAt: AT }] });
  const manifest = { ...sealedPlan().manifest, inputs: [] };

  it("holds for a proven attestation and fails a failed one, naming who", async () => {
    await writeAttestationFolder(dir, attest({ accounts: [], items: [] }), "# ok\n", manifest);
    expect(await verifyBundle(dir, dir)).toEqual([]);
    const failed = attest({ accounts: [{ id: "u1", userName: "zoe.back", externalId: "W1026", emails: [] }], items: [] });
    expect(failed.people[0]).toMatchObject({ verdict: "failed", left: { bundle: departure.bundle } });
    await writeAttestationFolder(dir, failed, "# failed\n", manifest);
    expect(await verifyBundle(dir, dir)).toEqual([expect.stringMatching(/attestation is not proven \(failed\): W1026/)]);
  });

  it("fails an attestation whose verdict does not follow from what it found, or that was edited", async () => {
    const a = attest({ accounts: [{ id: "u1", userName: "zoe.back", externalId: "W1026", emails: [] }], items: [] });
    await writeAttestationFolder(dir, { ...a, verdict: "proven", proven: true }, "# x\n", manifest);
    expect((await verifyBundle(dir, dir)).some((p) => /overall verdict \(proven, proven true\) does not follow/.test(p))).toBe(true);
    await writeAttestationFolder(dir, attest({ accounts: [], items: [] }), "# ok\n", manifest);
    const file = path.join(dir, "attestation.json");
    await writeFile(file, (await readFile(file, "utf8")).replace('"W1026"', '"W1027"'));
    expect((await verifyBundle(dir, dir))[0]).toMatch(/attestation\.json was changed after it was written/);
  });

  it("lists someone active again today as returned, not checked", () => {
    const a = attestationOf({ stack: "local", since: "2026-10-01", departures: [{ ...departure, id: "W1001" }], sources: [], desired, targets: [{ target: "scim", users: [], items: [], live: { accounts: [{ id: "u", userName: "x", externalId: "W1001", emails: [] }], items: [] }, readAt: AT }] });
    expect(a.people[0]).toMatchObject({ id: "W1001", verdict: "returned", targets: [] });
    expect(a.verdict).toBe("proven");
  });
});
