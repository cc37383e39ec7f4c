import { describe, expect, it } from "vitest";
import { lifecycleOf } from "../../../src/compile/lifecycle.js";
import { PolicySchema } from "../../../src/model/policy.js";
import { WorkerSchema } from "../../../src/model/person.js";

const policy = (lifecycle: object = {}) =>
  PolicySchema.parse({ organization: { domain: "example.com" }, lifecycle: { preHireDays: 7, leaverGraceDays: 3, onLeave: "suspend", ...lifecycle } });
const worker = (fields: object) => WorkerSchema.parse({ workerId: "W1", givenName: "Ada", familyName: "Lovelace", startDate: "2024-01-01", ...fields });

describe("lifecycle by as-of date", () => {
  it.each([
    ["active worker", {}, "2026-11-25", "active", "enabled", true],
    ["pre-hire inside the window", { startDate: "2026-11-30" }, "2026-11-25", "prehire", "disabled", false],
    ["pre-hire beyond the window", { startDate: "2026-12-10" }, "2026-11-25", "prehire", "absent", false],
    ["starts today", { startDate: "2026-11-25" }, "2026-11-25", "active", "enabled", true],
    ["last day is today", { endDate: "2026-11-25" }, "2026-11-25", "active", "enabled", true],
    ["leaver in grace", { endDate: "2026-11-24" }, "2026-11-25", "leaver", "disabled", false],
    ["leaver on the last grace day", { endDate: "2026-11-22" }, "2026-11-25", "leaver", "disabled", false],
    ["leaver after grace", { endDate: "2026-11-21" }, "2026-11-25", "leaver", "absent", false],
    ["terminated without end date", { status: "terminated" }, "2026-11-25", "leaver", "absent", false],
    ["terminated ahead of a future end date", { status: "terminated", endDate: "2026-12-31" }, "2026-11-25", "leaver", "disabled", false],
    ["on leave", { status: "leave" }, "2026-11-25", "leave", "disabled", false],
    ["rehired, the row still carrying the old termination date", { startDate: "2026-03-01", endDate: "2023-06-30" }, "2026-11-25", "active", "enabled", true],
    ["rehire starting soon, old termination date on the row", { startDate: "2026-11-30", endDate: "2023-06-30" }, "2026-11-25", "prehire", "disabled", false],
    ["terminated again, with an old end date", { status: "terminated", startDate: "2026-03-01", endDate: "2023-06-30" }, "2026-11-25", "leaver", "absent", false],
  ])("%s", (_, fields, asOf, state, account, entitled) => {
    const life = lifecycleOf(worker(fields), asOf, policy());
    expect({ state: life.state, account: life.account, entitled: life.entitled }).toEqual({ state, account, entitled });
  });

  it("grace 0 removes the account the day after the last day", () => {
    expect(lifecycleOf(worker({ endDate: "2026-11-24" }), "2026-11-25", policy({ leaverGraceDays: 0 })).account).toBe("absent");
  });

  it("keeps entitlements on leave when policy says so", () => {
    const life = lifecycleOf(worker({ status: "leave" }), "2026-11-25", policy({ onLeave: "keep-entitlements" }));
    expect(life).toMatchObject({ state: "leave", account: "disabled", entitled: true });
  });
});
