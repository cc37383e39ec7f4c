import { describe, expect, it } from "vitest";
import { judge, type Subject } from "../../../src/evidence/offboarding-proof.js";
import { proofText, proofView } from "../../../src/evidence/offboarding-render.js";
import { renderHtml } from "../../../src/evidence/render-html.js";
import { renderMarkdown } from "../../../src/evidence/render-md.js";
import type { OffboardingProof } from "../../../src/model/offboarding.js";
import { fixturePlan } from "./render-fixture.js";

const AT = "2026-03-02T08:17:30.000Z";
const subject = (id: string): Subject => ({ id, kind: "person", state: "leaver", reason: "left", logins: [id.toLowerCase()], emails: [] });

function proof(): OffboardingProof {
  const people = judge(
    ["W1", "W2", "W3"].map(subject),
    [{ target: "scim", users: [], items: [], readAt: AT, live: { accounts: [{ id: "a3", userName: "w3", emails: [] }], items: [{ kind: "group", id: "g", displayName: "Evil | `name` <b>", members: ["a3"] }] } }],
  );
  return { schemaVersion: 2, stack: "local", planDigest: "f".repeat(64), checkedAt: AT, method: "live read", verdict: "failed", proven: false, unread: [], people };
}

describe("the offboarding proof in plan.md, plan.html and the terminal", () => {
  it("shows what is not proven first, and says how many rows it left out", () => {
    const view = proofView(proof(), 2);
    expect(view.rows.map((r) => r.verdict)).toEqual(["failed", "proven"]);
    expect(view.omitted).toBe(1);
  });

  it("escapes what the target named: a group name cannot break the table or inject markup", () => {
    const md = renderMarkdown(fixturePlan(), proof());
    const row = md.split("\n").find((l) => l.includes("`W3`"))!;
    // In a code span (a fence longer than the backticks inside), the pipe escaped for the table: literal text, never markup.
    expect(row).toContain("``Evil \\| `name` <b>``");
    expect(row.split(/(?<!\\)\|/).length).toBe(8);
    expect(renderHtml(fixturePlan(), proof())).toContain("Evil | `name` &lt;b&gt;");
  });

  it("prints one line per identity and target not proven, naming what remains", () => {
    const lines = proofText(proof(), "offboarding.json");
    expect(lines[0]).toMatch(/^Offboarding proof: failed for 3 identities \(W1, W2, W3\)/);
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^ {2}✗ W3 in scim: failed — account w3 \(id a3\) is still present; still holds group Evil/)]);
  });
});
