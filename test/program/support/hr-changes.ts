import type { Inputs } from "../../../src/model/inputs.js";

/** A worker's row in the roster, to edit in place. */
export const worker = (inputs: Inputs, id: string) => inputs.roster.find((r) => r.value.workerId === id)!.value;

/**
 * The HR side of a lifecycle-table row every target has: W1010 left on 2026-11-01 and is
 * rehired within a 60-day grace as Staff Engineer, starting on `startDate`. Only what each
 * target is expected to send differs from table to table.
 */
export function rehireInGrace(startDate: string): { key: string; before: (i: Inputs) => void; after: (i: Inputs) => void } {
  return {
    key: "W1010",
    before: (i) => {
      i.policy.lifecycle.leaverGraceDays = 60;
      worker(i, "W1010").endDate = "2026-11-01";
    },
    after: (i) => {
      i.policy.lifecycle.leaverGraceDays = 60;
      worker(i, "W1010").endDate = undefined;
      worker(i, "W1010").startDate = startDate;
      worker(i, "W1010").title = "Staff Engineer";
    },
  };
}
