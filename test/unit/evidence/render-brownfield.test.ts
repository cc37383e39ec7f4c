import { describe, expect, it } from "vitest";
import { renderHtml } from "../../../src/evidence/render-html.js";
import { renderMarkdown } from "../../../src/evidence/render-md.js";
import { renderText } from "../../../src/evidence/render-text.js";
import { PlanDocumentSchema, type PlanDocument } from "../../../src/model/plan.js";
import { fixturePlan, HOSTILE_NAME } from "./render-fixture.js";

/** A plan that adopts an account (with what adoption changes) and removes and reports orphans; one orphan's name is hostile markup. */
function brownfieldPlan(): PlanDocument {
  const plan = fixturePlan();
  return {
    ...plan,
    summary: { ...plan.summary, adopted: 1, orphansRemoved: 1, orphansDisabled: 0 },
    adoptions: [{ target: "scim", kind: "account", key: "W1002", id: "9d0e", name: "bokafor", because: "matched by externalId", op: "create", changes: [{ field: "userName", from: "bokafor", to: "bjorn.okafor@example.com" }, { field: "active", from: "false", to: "true" }] }],
    orphans: [
      { target: "scim", id: "6c1f", userName: "rogue.admin@example.com", action: "remove", op: "create", because: "no HR worker or service account matches it" },
      { target: "scim", id: "77aa", userName: HOSTILE_NAME, action: "report", op: "none", because: "excluded by pattern 'x*'" },
    ],
  };
}

describe("adoptions and orphans in the plan", () => {
  const plan = brownfieldPlan();

  it("is a valid plan document", () => {
    expect(PlanDocumentSchema.safeParse(plan).success).toBe(true);
  });

  it("the terminal names each adoption with what it changes, and each orphan with policy's action", () => {
    const text = renderText(plan, "Plan:");
    expect(text).toContain("1 adopted");
    expect(text).toContain("adopt scim account bokafor (id 9d0e) becomes W1002, matched by externalId; adopted by id; adoption changes userName bokafor → bjorn.okafor@example.com; active false → true");
    expect(text).toContain("orphan scim account rogue.admin@example.com (id 6c1f): removed (deleted by id)");
  });

  it("plan.md and plan.html show them as their own section and summary counts, escaping what came from the target", () => {
    const md = renderMarkdown(plan);
    expect(md).toMatch(/\| Drift corrections \| Adopted \| Orphans removed \|/);
    expect(md).toContain("### Adoptions and orphans (1 adopted, 2 orphans)");
    expect(md).toContain("userName bokafor → bjorn.okafor@example.com");
    expect(md).not.toContain("<script>");
    const html = renderHtml(plan);
    expect(html).toContain('id="brownfield"');
    expect(html).toContain("Adopted instead of created");
    expect(html).toContain("removed (deleted by id)");
    expect(html).not.toContain("<script>alert");
  });

  it("a plan without any leaves the summary as it was", () => {
    expect(renderMarkdown(fixturePlan())).not.toContain("Adopted");
  });
});
