import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { buildPlan } from "../../../src/evidence/plan-model.js";
import { EngineRecord } from "../../../src/evidence/steps.js";
import { loadDesiredState } from "../../../src/load/desired-state-dir.js";
import { stackRecord } from "../../../src/targets/record.js";

const desired = compile(await loadDesiredState("desired-state"), "2026-11-25");
const previous = stackRecord(desired, ["scim"]);
const GROUP = "rolecall-scim:index:Group";
const USER = "rolecall-scim:index:User";
const urn = (type: string, name: string) => `urn:pulumi:local::rolecall::rolecall:targets:Scim$${type}::${name}`;
const admins = desired.targets.scim!.groups.find((g) => g.key === "it-admins")!;
const member = admins.members[0]!.user;

function event(op: string, type: string, name: string, id: string, old?: Record<string, unknown>, news?: Record<string, unknown>): EngineEvent {
  return {
    sequence: 0,
    timestamp: 0,
    resourcePreEvent: {
      metadata: { op, urn: urn(type, name), type, provider: "", ...(op === "update" ? { diffs: ["members"] } : {}), old: { type, urn: urn(type, name), id, outputs: old ?? {}, inputs: old ?? {} }, new: { type, urn: urn(type, name), id, inputs: news ?? old ?? {} } },
    },
  } as unknown as EngineEvent;
}

describe("drift with names", () => {
  it("says who was added to and removed from a group behind rolecall's back, by worker ID or the live userName", () => {
    const record = EngineRecord.of([
      event("same", USER, member, "scim-member"),
      event("update", GROUP, "it-admins", "g1", { members: ["scim-rogue", "scim-other"] }, { members: ["scim-member", "scim-other"] }),
    ]);
    expect(record.steps[0]!.members).toEqual({ field: "members", added: ["scim-member"], removed: ["scim-rogue"] });
    const names = new Map([...record.names, ["scim-rogue", "rogue.admin@example.com"]]);
    const plan = buildPlan(record.steps, desired, previous, ["scim"], record.counts, undefined, names);
    expect(plan.summary.driftCorrections).toBe(1);
    const [risk] = plan.risks.filter((r) => r.code === "drift");
    expect(risk!.message).toContain("rogue.admin@example.com added to it by hand");
    expect(risk!.message).toBe(
      `scim it-admins differs from what was applied: rogue.admin@example.com added to it by hand (the apply removes it); ${member} removed from it by hand (the apply adds it back)`,
    );
  });

  it("names the members of lists packed one per line (the SCIM provider's state) as of lists of one id each", () => {
    const record = EngineRecord.of([event("update", GROUP, "it-admins", "g1", { members: ["scim-other\nscim-rogue"] }, { members: ["scim-member\nscim-other", "04da6b54-80e4-46f7-96ec-b56ff0331ba9"] })]);
    expect(record.steps[0]!.members).toEqual({ field: "members", added: ["scim-member"], removed: ["scim-rogue"] });
  });

  it("does not call a joiner's account, whose id the preview cannot know yet, a member removed by hand", () => {
    // A group gaining an account this run creates: the engine stands in for its id with its unknown value.
    const joiner = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const record = EngineRecord.of([event("create", USER, member, ""), event("update", GROUP, "it-admins", "g1", { members: ["scim-other"] }, { members: ["scim-other", joiner] })]);
    expect(record.steps[1]!.members).toEqual({ field: "members", added: [], removed: [] });
    const before = structuredClone(previous);
    before.holdings.scim!["group:it-admins"] = before.holdings.scim!["group:it-admins"]!.filter((u) => u !== member);
    const plan = buildPlan(record.steps, desired, before, ["scim"], record.counts, undefined, record.names);
    expect(plan.risks.filter((r) => r.code === "drift")).toEqual([]);
  });

  it("does not call drift what the plan changes on purpose", () => {
    const before = structuredClone(previous);
    before.holdings.scim!["group:it-admins"] = before.holdings.scim!["group:it-admins"]!.filter((u) => u !== member);
    const record = EngineRecord.of([event("same", USER, member, "scim-member"), event("update", GROUP, "it-admins", "g1", { members: [] }, { members: ["scim-member"] })]);
    const plan = buildPlan(record.steps, desired, before, ["scim"], record.counts, undefined, record.names);
    expect(plan.risks.filter((r) => r.code === "drift")).toEqual([]);
    expect(plan.summary.driftCorrections).toBe(0);
  });
});

describe("a target wiped behind rolecall's back", () => {
  it("counts what the engine creates again as gained, privileged risks included, whatever the record of the last apply says", () => {
    const record = EngineRecord.of([event("create", USER, member, "new-user"), event("create", GROUP, "it-admins", "new-group"), event("same", GROUP, "all-staff", "g2")]);
    const plan = buildPlan(record.steps, desired, previous, ["scim"], record.counts, undefined, record.names);
    const gains = plan.people.find((p) => p.id === member)!.gains.map((g) => g.item);
    // Its account is created again, so every group is gained; it-admins as a whole too.
    expect(gains).toEqual(desired.targets.scim!.groups.filter((g) => g.members.some((m) => m.user === member)).map((g) => g.key).sort());
    expect(plan.risks).toContainEqual({ code: "privileged-grant", subject: member, message: `${member} gains privileged scim group it-admins` });
    for (const other of admins.members.slice(1)) expect(plan.people.find((p) => p.id === other.user)?.gains.map((g) => g.item)).toEqual(["it-admins"]);
    expect(plan.groups.find((g) => g.key === "group:it-admins")?.op).toBe("create");
  });
});

describe("a provider's configuration changing", () => {
  it("is not called drift: the target did not change, rolecall's settings did", () => {
    const record = EngineRecord.of([event("update", "pulumi:providers:rolecall-scim", "scim", "p1", { endpoint: "e", token: "t" }, { endpoint: "e" })]);
    const plan = buildPlan(record.steps, desired, previous, ["scim"], record.counts, undefined, record.names);
    expect(plan.risks.filter((r) => r.code === "drift")).toEqual([]);
    expect(plan.summary.driftCorrections).toBe(0);
  });
});
