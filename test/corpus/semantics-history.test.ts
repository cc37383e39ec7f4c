/**
 * History does not block the present: what has ended is a warning on its row and everyone
 * else is compiled; what is ambiguous about access today stays an error.
 */
import { append, corpus, POLICY, replace, row, ROSTER } from "./semantics-support.js";

const bjorn = "W1002,Björn,Okafor,,,Engineering,CC-200,Berlin,VP Engineering,W1001,Employee,Active,2019-06-01,";
/**
 * Björn's row with HR's work email. Without it his generated address yields to an address HR
 * gives someone who still has an account (he would be bjorn.okafor2, no collision at all).
 */
const bjornWithEmail = (text: string) => replace(bjorn, bjorn.replace("Okafor,,,", "Okafor,,bjorn.okafor@example.com,"))(text);

corpus("history in the HR export", [
  {
    name: "two current rows for one worker ID",
    edits: { [ROSTER]: append(row({ id: "W1002", given: "Bjorn", family: "Okafor", start: "2024-01-01", manager: "W1001" })) },
    code: "duplicate-worker",
    file: ROSTER,
    at: "W1002,Bjorn",
  },
  {
    name: "a leaver still in grace shares an email with a current worker (two accounts, one email)",
    edits: {
      [POLICY]: replace("leaverGraceDays: 0", "leaverGraceDays: 30"),
      [ROSTER]: (text) => append(row({ id: "C2002", given: "Bob", family: "Okafor-Old", email: "bjorn.okafor@example.com", type: "Contractor", status: "Terminated", start: "2018-01-01", end: "2026-11-20" }))(bjornWithEmail(text)),
    },
    code: "duplicate-email",
    file: ROSTER,
    at: "W1002,",
  },
  {
    name: "an ended contract without an account shares its email with the new employee record",
    edits: { [ROSTER]: append(row({ id: "C2001", given: "Bob", family: "Okafor-Old", email: "bjorn.okafor@example.com", type: "Contractor", status: "Terminated", start: "2017-01-01", end: "2018-12-31" })) },
    code: "stale-duplicate-email",
    file: ROSTER,
    at: "C2001,",
    severity: "warning",
  },
  {
    name: "a converted contractor: the ended contract and the employee record carry the same HR email",
    edits: { [ROSTER]: (text) => append(row({ id: "C2001", given: "Björn", family: "Okafor", email: "bjorn.okafor@example.com", type: "Contractor", status: "Terminated", start: "2017-01-01", end: "2018-12-31" }))(bjornWithEmail(text)) },
    code: "stale-duplicate-email",
    file: ROSTER,
    at: "C2001,",
    severity: "warning",
  },
  {
    name: "a rehired worker's row still carries the old termination date",
    edits: { [ROSTER]: replace(bjorn, bjorn.replace("2019-06-01,", "2025-06-01,2021-03-31")) },
    code: "stale-end-date",
    file: ROSTER,
    at: "W1002,",
    severity: "warning",
  },
  {
    name: "a rehire's earlier employment kept as its own row",
    edits: { [ROSTER]: append(row({ id: "W1002", given: "Björn", family: "Okafor", status: "Terminated", start: "2012-01-01", end: "2015-06-30", manager: "W1001" })) },
    code: "stale-row",
    file: ROSTER,
    at: "2012-01-01",
    severity: "warning",
  },
]);
