/**
 * Unknown is not "left": a reference to a worker who is not in the roster at all is an error
 * at the reference's line, as is every other reference that resolves to nothing.
 */
import { ACCOUNTS, CATALOG, corpus, DEPARTMENTS_RULES, GRANTS, POLICY, replace, WORKFORCE } from "./semantics-support.js";

corpus("references resolve, at the reference's line", [
  {
    name: "a typo in a service account's owner (not a leaver: the account must not be deleted)",
    edits: { [ACCOUNTS]: replace("owner: W1004", "owner: W1O04") },
    code: "unknown-worker",
    file: ACCOUNTS,
    at: "owner: W1O04",
  },
  { name: "a grant approved by someone not in the roster", edits: { [GRANTS]: replace("approvedBy: W1007", "approvedBy: W9998") }, code: "unknown-worker", file: GRANTS, at: "approvedBy: W9998" },
  { name: "a grant to someone not in the roster", edits: { [GRANTS]: replace("worker: W1012", "worker: W9997") }, code: "unknown-worker", file: GRANTS, at: "worker: W9997" },
  {
    name: "a role owned by someone not in the roster",
    edits: { [WORKFORCE]: (t) => t.replace("    owner: W1005\n", "    owner: W9996\n") },
    code: "unknown-owner",
    file: WORKFORCE,
    at: "owner: W9996",
  },
  { name: "a protected ID that is in no roster row", edits: { [POLICY]: replace("protected: []", "protected:\n  - W9995") }, code: "unknown-protected", file: POLICY, at: "- W9995" },
  {
    name: "a separation-of-duties conflict naming an unknown role",
    edits: { [POLICY]: replace("roles: [finance, it-admin]", "roles:\n      - finance\n      - it-admn") },
    code: "unknown-role",
    file: POLICY,
    at: "- it-admn",
  },
  {
    name: "an AWS group assigned an unknown account",
    edits: { [CATALOG]: replace("assignments: [{ account: prod, permissionSet: administrator }, { account: staging, permissionSet: administrator }]", "assignments:\n        - { account: prod, permissionSet: administrator }\n        - { account: prd, permissionSet: administrator }") },
    code: "unknown-catalog-key",
    file: CATALOG,
    at: "account: prd",
  },
  {
    name: "an AWS group assigned an unknown permission set",
    edits: { [CATALOG]: replace("assignments: [{ account: staging, permissionSet: developer }, { account: prod, permissionSet: read-only }]", "assignments:\n        - account: staging\n          permissionSet: develop") },
    code: "unknown-catalog-key",
    file: CATALOG,
    at: "permissionSet: develop",
  },
  {
    name: "a rule assigning an unknown role",
    edits: { [DEPARTMENTS_RULES]: replace("assign: [sales]", "assign:\n      - sales\n      - sales-lead") },
    code: "unknown-role",
    file: DEPARTMENTS_RULES,
    at: "- sales-lead",
  },
  { name: "a grant of an unknown role", edits: { [GRANTS]: replace("role: marketing", "role: marketeer") }, code: "unknown-role", file: GRANTS, at: "role: marketeer" },
  {
    name: "a service account holding an unknown role",
    edits: { [ACCOUNTS]: replace("roles: [finance]", "roles:\n      - finance\n      - finanse") },
    code: "unknown-role",
    file: ACCOUNTS,
    at: "- finanse",
  },
  {
    name: "a grant excepting a conflict policy does not define",
    edits: { [GRANTS]: replace("sodExceptions: [finance-vs-it-admin]", "sodExceptions:\n      - finance-vs-itadmin") },
    code: "unknown-sod-conflict",
    file: GRANTS,
    at: "- finance-vs-itadmin",
  },
  {
    name: "a role granting a group the catalog does not declare",
    edits: { [WORKFORCE]: replace("      scim: { groups: [all-staff] }", "      scim:\n        groups:\n          - all-staf") },
    code: "unknown-catalog-key",
    file: WORKFORCE,
    at: "- all-staf",
  },
]);
