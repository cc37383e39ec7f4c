/** policy.yaml checked at validate: templates, timezone, every value in range — at the line. */
import { append, corpus, POLICY, replace } from "./semantics-support.js";

const at = (needle: string) => ({ code: "schema", file: POLICY, at: needle });
const login = (template: string) => replace('loginTemplate: "{preferred}.{family}"', `loginTemplate: "${template}"`);
const email = (template: string) => replace('emailTemplate: "{login}@{domain}"', `emailTemplate: "${template}"`);

corpus("policy.yaml: templates and values", [
  { name: "an unknown placeholder in the login template ({first}.{last})", edits: { [POLICY]: login("{first}.{last}") }, ...at("loginTemplate") },
  { name: "an unclosed placeholder in the login template", edits: { [POLICY]: login("{preferred}.{family") }, ...at("loginTemplate") },
  { name: "a space in the login template", edits: { [POLICY]: login("{preferred} {family}") }, ...at("loginTemplate") },
  { name: "a login template that names nobody", edits: { [POLICY]: login("staff") }, ...at("loginTemplate") },
  { name: "an email template without a domain ({login})", edits: { [POLICY]: email("{login}") }, ...at("emailTemplate") },
  { name: "an email template with two @", edits: { [POLICY]: email("{login}@{domain}@corp") }, ...at("emailTemplate") },
  { name: "an email template without the login (everyone one address)", edits: { [POLICY]: email("team@{domain}") }, ...at("emailTemplate") },
  { name: "an email template whose domain is a single label", edits: { [POLICY]: email("{login}@localhost") }, ...at("emailTemplate") },
  { name: "an email template using a login placeholder", edits: { [POLICY]: email("{given}@{domain}") }, ...at("emailTemplate") },
  { name: "a timezone that is no IANA zone, even with --as-of", edits: { [POLICY]: replace("timezone: Europe/Berlin", "timezone: Mars/Olympus") }, ...at("timezone") },
  { name: "a misspelt timezone", edits: { [POLICY]: replace("timezone: Europe/Berlin", "timezone: Europe/Berln") }, ...at("timezone") },
  { name: "a timezone in the wrong case", edits: { [POLICY]: replace("timezone: Europe/Berlin", "timezone: europe/berlin") }, ...at("timezone") },
  { name: "a negative pre-hire window", edits: { [POLICY]: replace("preHireDays: 14", "preHireDays: -1") }, ...at("preHireDays") },
  { name: "a pre-hire window of three years", edits: { [POLICY]: replace("preHireDays: 14", "preHireDays: 1000") }, ...at("preHireDays") },
  { name: "a fractional grace period", edits: { [POLICY]: replace("leaverGraceDays: 0", "leaverGraceDays: 2.5") }, ...at("leaverGraceDays") },
  { name: "a deprovisioning share over 100%", edits: { [POLICY]: replace("percent: 10 }", "percent: 150 }") }, ...at("maxDeprovision") },
  { name: "a negative minimum roster size", edits: { [POLICY]: replace("minRosterSize: 10", "minRosterSize: -3") }, ...at("minRosterSize") },
  { name: "grants of at most zero days", edits: { [POLICY]: replace("maxDays: 90", "maxDays: 0") }, ...at("maxDays") },
  { name: "a negative rename limit", edits: { [POLICY]: replace("  minRosterSize: 10", "  minRosterSize: 10\n  maxRenames:\n    count: -1\n    percent: 10") }, ...at("count: -1") },
  { name: "a reactivation share below zero", edits: { [POLICY]: replace("  minRosterSize: 10", "  minRosterSize: 10\n  maxReactivations:\n    count: 1\n    percent: -5") }, ...at("percent: -5") },
  { name: "a protected account listed twice", edits: { [POLICY]: replace("protected: []", "protected:\n  - W1001\n  - W1001 # again") }, ...at("# again") },
  { name: "a malformed organisation domain", edits: { [POLICY]: replace("domain: example.com", "domain: example..com") }, ...at("domain:") },
  { name: "a service-account prefix with capitals and underscores", edits: { [POLICY]: append("  loginPrefix: Svc_") }, ...at("loginPrefix") },
]);
