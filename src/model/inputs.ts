import type { AdoptionDecision } from "./adoption.js";
import type { Catalog } from "./catalog.js";
import type { Exclusion } from "./exclusion.js";
import type { Finding } from "./finding.js";
import type { GithubFile } from "./github.js";
import type { Grant } from "./grant.js";
import type { Located, Worker } from "./person.js";
import type { Policy } from "./policy.js";
import type { PreviousRecord } from "./previous.js";
import type { Role } from "./role.js";
import type { Rule } from "./rule.js";
import type { ServiceAccount } from "./service-account.js";

/** Everything compile needs, parsed and validated, each item with the place it came from. */
export interface Inputs {
  policy: Policy;
  catalog: Catalog;
  roster: Located<Worker>[];
  roles: Located<Role>[];
  rules: Located<Rule>[];
  grants: Located<Grant>[];
  serviceAccounts: Located<ServiceAccount>[];
  /** Reviewed decisions that take rule-earned roles away (exclusions/*.yaml). */
  exclusions?: Located<Exclusion>[];
  /** Reviewed decisions about disputed accounts (adoption.yaml), applied when plan and apply read the targets live. */
  adoption?: Located<AdoptionDecision>[];
  /** Workers' GitHub handles and the security team (github.yaml), when the repository has one. */
  github?: Located<GithubFile>;
  /** Every file read, relative to the desired-state directory, with its content hash. */
  files: { path: string; sha256: string }[];
  /**
   * Lines of the keys and list items of whole-file settings (policy.yaml, catalog.yaml), by
   * file then dotted path (`protected.0`), so a reference error points at the reference.
   */
  lines?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /**
   * The stack's record of its last apply, when compiling for a stack: the identity ledger that
   * pins logins and emails, and what the previous losses are explained against. Absent: the
   * first apply, or `compile`/`validate` without `--stack`.
   */
  previous?: PreviousRecord;
  /** Problems found while loading; an error here means compile must not be trusted. */
  findings: Finding[];
}
