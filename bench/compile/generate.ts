// A seeded synthetic organisation at a chosen scale, written as a complete desired-state folder:
// hr/source.yaml + roster.csv, policy.yaml, catalog.yaml, 200 roles, 300 rules, grants and
// service accounts. Same scale and seed → byte-identical files.
//
// Structure: a CEO, department heads reporting to the CEO, managers with 5–12 reports down to
// individual contributors; teams with their own cost centres; 10 locations (a report usually
// sits where the manager sits); contractors and interns with end dates; ~2% on leave, ~3%
// leavers with past end dates, ~1% pre-hires; names from many locales (unicode) with some
// deliberate duplicates so login suffixes happen.
//
// The data must compile with zero error findings: separation-of-duties roles are only assigned
// by department-scoped rules (departments are single-valued, so the conflicting sets never meet)
// except for one grant that approves the exception; grants and service accounts name active
// workers and approvers; only leaves of the org tree leave, go on leave or are pre-hires, so
// every manager, role owner and approver is active.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  faker,
  fakerCS_CZ,
  fakerDE,
  fakerEL,
  fakerEN_GB,
  fakerEN_IN,
  fakerES,
  fakerFR,
  fakerIT,
  fakerJA,
  fakerKO,
  fakerNB_NO,
  fakerPL,
  fakerPT_BR,
  fakerRU,
  fakerSV,
  fakerTR,
  fakerUK,
  fakerVI,
  fakerZH_CN,
  type Faker,
} from "@faker-js/faker";
import { stringify } from "yaml";

/** Bump when the generated data changes shape, so run.ts regenerates stale inputs. */
export const GENERATOR_VERSION = 1;
export const SEED = 20261201;
/** The as-of date the data is generated around (and compiled at). */
export const AS_OF = "2026-12-01";

export interface GeneratedMeta {
  workers: number;
  seed: number;
  asOf: string;
  generator: number;
  roles: number;
  rules: number;
  grants: number;
  serviceAccounts: number;
  catalogGroups: number;
}

// ---------------------------------------------------------------------------------------------
// Organisation shape

interface Department {
  name: string;
  slug: string;
  code: number;
  weight: number;
  head: string;
  managers: string[];
  /** Individual-contributor titles with weights. */
  ics: [string, number][];
  teams: string[];
}

const DEPARTMENTS: Department[] = [
  { name: "Engineering", slug: "engineering", code: 2, weight: 30, head: "VP Engineering", managers: ["Engineering Manager", "Director of Engineering"], ics: [["Software Engineer", 40], ["Senior Software Engineer", 25], ["Staff Engineer", 5], ["Site Reliability Engineer", 10], ["QA Engineer", 8], ["Engineering Intern", 0]], teams: ["Platform", "Payments", "Mobile", "Web", "Infrastructure", "Developer Experience", "Search"] },
  { name: "Product", slug: "product", code: 3, weight: 5, head: "VP Product", managers: ["Group Product Manager"], ics: [["Product Manager", 40], ["Senior Product Manager", 20], ["Product Designer", 25], ["UX Researcher", 10]], teams: ["Core Product", "Growth", "Design"] },
  { name: "Data", slug: "data", code: 4, weight: 5, head: "Head of Data", managers: ["Data Science Manager"], ics: [["Data Scientist", 35], ["Data Engineer", 35], ["Analytics Engineer", 20]], teams: ["Analytics", "Data Platform", "Machine Learning"] },
  { name: "Sales", slug: "sales", code: 5, weight: 18, head: "VP Sales", managers: ["Sales Manager", "Regional Sales Director"], ics: [["Account Executive", 40], ["Sales Development Representative", 25], ["Solutions Engineer", 12], ["Account Manager", 15], ["Sales Operations Analyst", 4]], teams: ["EMEA", "North America", "APAC", "LATAM", "Enterprise", "Sales Operations"] },
  { name: "Marketing", slug: "marketing", code: 6, weight: 6, head: "Head of Marketing", managers: ["Marketing Manager"], ics: [["Marketing Specialist", 40], ["Content Writer", 20], ["Growth Marketer", 25], ["Brand Designer", 10]], teams: ["Brand", "Demand Generation", "Product Marketing"] },
  { name: "Customer Support", slug: "support", code: 7, weight: 14, head: "Head of Support", managers: ["Support Team Lead"], ics: [["Support Specialist", 55], ["Senior Support Specialist", 25], ["Technical Support Engineer", 15]], teams: ["Tier 1", "Tier 2", "Enterprise Support", "Onboarding"] },
  { name: "Finance", slug: "finance", code: 8, weight: 5, head: "Chief Financial Officer", managers: ["Finance Manager", "Controller"], ics: [["Financial Analyst", 40], ["Accountant", 30], ["Payroll Specialist", 10], ["Accounts Payable Specialist", 15]], teams: ["FP&A", "Accounting", "Payroll", "Treasury"] },
  { name: "People", slug: "people", code: 9, weight: 4, head: "Chief People Officer", managers: ["Talent Acquisition Manager"], ics: [["People Partner", 35], ["Recruiter", 40], ["People Operations Specialist", 20]], teams: ["Talent Acquisition", "People Operations", "Learning"] },
  { name: "IT", slug: "it", code: 10, weight: 3, head: "Head of IT", managers: ["IT Manager"], ics: [["IT Engineer", 40], ["IT Support Technician", 40], ["Systems Administrator", 15]], teams: ["Workplace IT", "Corporate Systems"] },
  { name: "Security", slug: "security", code: 11, weight: 2, head: "Chief Information Security Officer", managers: ["Security Manager"], ics: [["Security Engineer", 60], ["Security Analyst", 40]], teams: ["Security Operations", "Application Security"] },
  { name: "Legal", slug: "legal", code: 12, weight: 2, head: "General Counsel", managers: ["Legal Manager"], ics: [["Legal Counsel", 45], ["Paralegal", 30], ["Compliance Analyst", 25]], teams: ["Commercial", "Compliance"] },
  { name: "Operations", slug: "operations", code: 13, weight: 6, head: "Chief Operating Officer", managers: ["Operations Manager"], ics: [["Operations Analyst", 40], ["Office Manager", 20], ["Facilities Coordinator", 20], ["Procurement Specialist", 20]], teams: ["Business Operations", "Workplace", "Procurement"] },
];
const EXECUTIVE = { name: "Executive", slug: "executive", costCenter: "CC-1000" };

const LOCATIONS: [string, number][] = [
  ["Berlin", 16],
  ["London", 14],
  ["New York", 16],
  ["San Francisco", 10],
  ["Lisbon", 8],
  ["Toronto", 7],
  ["Singapore", 7],
  ["Bengaluru", 9],
  ["São Paulo", 6],
  ["Zürich", 7],
];

const NAME_LOCALES: [Faker, number][] = [
  [faker, 20],
  [fakerEN_GB, 8],
  [fakerDE, 10],
  [fakerFR, 8],
  [fakerES, 7],
  [fakerPT_BR, 6],
  [fakerIT, 5],
  [fakerPL, 4],
  [fakerTR, 4],
  [fakerSV, 3],
  [fakerNB_NO, 2],
  [fakerCS_CZ, 2],
  [fakerEN_IN, 6],
  [fakerVI, 3],
  [fakerZH_CN, 3],
  [fakerJA, 2],
  [fakerKO, 2],
  [fakerRU, 2],
  [fakerUK, 1],
  [fakerEL, 1],
];

const APPS = [
  "jira", "confluence", "github", "slack-enterprise", "figma", "salesforce", "zendesk", "workday", "netsuite", "tableau",
  "looker", "snowflake", "datadog", "pagerduty", "sentry", "aws-console", "gcp-console", "okta-admin", "jamf", "greenhouse",
  "lattice", "docusign", "ironclad", "gong", "hubspot", "marketo", "intercom", "notion", "miro", "zoom-webinar",
  "onepassword", "crowdstrike", "splunk", "vault", "terraform-cloud", "circleci", "linear", "amplitude", "mixpanel", "coupa",
  "expensify", "carta", "brex", "gusto", "loom", "lucid", "asana", "smartsheet", "box", "dropbox",
];

// ---------------------------------------------------------------------------------------------
// Dates

const day = (date: string, delta: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + delta);
  return d.toISOString().slice(0, 10);
};
const daysFrom = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
const int = (min: number, max: number): number => faker.number.int({ min, max });
const chance = (p: number): boolean => faker.number.float({ min: 0, max: 1 }) < p;
const pick = <T>(list: readonly T[]): T => faker.helpers.arrayElement(list as T[]);
const weighted = <T>(list: readonly [T, number][]): T => faker.helpers.weightedArrayElement(list.filter(([, w]) => w > 0).map(([value, weight]) => ({ value, weight })));
const dateBetween = (from: string, to: string): string => day(from, int(0, Math.max(0, daysFrom(from, to))));

// ---------------------------------------------------------------------------------------------
// People

type Lifecycle = "active" | "leave" | "leaver" | "prehire";

interface GenPerson {
  index: number;
  workerId: string;
  givenName: string;
  familyName: string;
  preferredName?: string;
  email?: string;
  department: string;
  deptSlug: string;
  team?: string;
  costCenter: string;
  location: string;
  title: string;
  manager?: GenPerson;
  reports: GenPerson[];
  depth: number;
  workerType: "Employee" | "Contractor" | "Intern";
  status: "Active" | "On Leave" | "Terminated";
  startDate: string;
  endDate?: string;
  life: Lifecycle;
}

interface Org {
  people: GenPerson[];
  ceo: GenPerson;
  heads: Map<string, GenPerson>;
  /** Team cost centres per department slug: [team name, cost centre]. */
  teams: Map<string, [string, string][]>;
}

function teamSlug(team: string): string {
  return team.toLowerCase().replace(/&/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

function buildOrg(n: number): Org {
  const people: GenPerson[] = [];
  const make = (fields: Omit<GenPerson, "index" | "workerId" | "givenName" | "familyName" | "reports" | "workerType" | "status" | "startDate" | "life">): GenPerson => {
    const person: GenPerson = { ...fields, index: people.length, workerId: "", givenName: "", familyName: "", reports: [], workerType: "Employee", status: "Active", startDate: "", life: "active" };
    people.push(person);
    person.manager?.reports.push(person);
    return person;
  };
  const hq = "New York";
  const ceo = make({ department: EXECUTIVE.name, deptSlug: EXECUTIVE.slug, costCenter: EXECUTIVE.costCenter, location: hq, title: "Chief Executive Officer", depth: 0 });
  const assistants = n >= 10_000 ? 2 : 1;
  for (let i = 0; i < assistants; i++) make({ department: EXECUTIVE.name, deptSlug: EXECUTIVE.slug, costCenter: EXECUTIVE.costCenter, location: hq, title: "Executive Assistant", manager: ceo, depth: 1 });

  const remaining = n - people.length;
  const totalWeight = DEPARTMENTS.reduce((s, d) => s + d.weight, 0);
  const sizes = DEPARTMENTS.map((d) => Math.max(1, Math.floor((remaining * d.weight) / totalWeight)));
  sizes[0]! += remaining - sizes.reduce((s, x) => s + x, 0);

  const heads = new Map<string, GenPerson>();
  const teams = new Map<string, [string, string][]>();
  DEPARTMENTS.forEach((dept, d) => {
    const deptTeams = dept.teams.map((t, i): [string, string] => [t, `CC-${dept.code}${String(i + 1).padStart(2, "0")}`]);
    teams.set(dept.slug, deptTeams);
    const head = make({ department: dept.name, deptSlug: dept.slug, costCenter: `CC-${dept.code}00`, location: weighted(LOCATIONS), title: dept.head, manager: ceo, depth: 1 });
    heads.set(dept.slug, head);
    // Breadth-first: every manager gets 5–12 reports until the department is full.
    const queue: GenPerson[] = [head];
    let left = sizes[d]! - 1;
    let teamCursor = 0;
    while (left > 0) {
      const manager = queue.shift()!;
      const k = Math.min(left, int(5, 12));
      for (let i = 0; i < k; i++) {
        const team = manager === head ? deptTeams[teamCursor++ % deptTeams.length]! : [manager.team!, manager.costCenter] as [string, string];
        const report = make({
          department: dept.name,
          deptSlug: dept.slug,
          team: team[0],
          costCenter: team[1],
          location: chance(0.8) ? manager.location : weighted(LOCATIONS),
          title: "",
          manager,
          depth: manager.depth + 1,
        });
        queue.push(report);
      }
      left -= k;
    }
  });

  // Titles, worker types, lifecycle and dates.
  for (const person of people) {
    const dept = DEPARTMENTS.find((x) => x.slug === person.deptSlug);
    const isManager = person.reports.length > 0;
    if (dept && person.title === "") {
      if (isManager) person.title = person.depth === 2 && person.reports.some((r) => r.reports.length > 0) ? dept.managers[dept.managers.length - 1]! : dept.managers[0]!;
      else person.title = weighted(dept.ics);
    }
    if (isManager || person.depth <= 1) {
      // Managers, heads and the executive office are active employees of some standing.
      person.startDate = person === people[0] ? "2011-09-01" : dateBetween(person.depth <= 1 ? "2012-01-01" : "2014-01-01", day(AS_OF, -120));
      continue;
    }
    const type = weighted<"Employee" | "Contractor" | "Intern">([["Employee", 91], ["Contractor", 7], ["Intern", 2]]);
    person.workerType = type;
    if (type === "Intern") person.title = `${dept!.name} Intern`;
    person.life = weighted<Lifecycle>([["active", 94], ["leave", 2], ["leaver", 3], ["prehire", 1]]);
    switch (person.life) {
      case "prehire":
        person.startDate = day(AS_OF, int(1, 45));
        if (type !== "Employee") person.endDate = day(person.startDate, int(90, 365));
        break;
      case "leaver": {
        person.endDate = day(AS_OF, -int(1, 120));
        person.startDate = dateBetween("2014-01-01", day(person.endDate, -30));
        // Most leavers are terminated in HR; some only have a passed end date (a contract ran out).
        person.status = type === "Contractor" || chance(0.3) ? "Active" : "Terminated";
        break;
      }
      case "leave":
        person.status = "On Leave";
        person.startDate = dateBetween("2014-01-01", day(AS_OF, -60));
        if (type !== "Employee") person.endDate = day(AS_OF, int(30, 300));
        break;
      case "active":
        person.startDate = type === "Intern" ? dateBetween(day(AS_OF, -150), day(AS_OF, -1)) : dateBetween("2014-01-01", day(AS_OF, -1));
        if (type === "Contractor") person.endDate = day(AS_OF, int(20, 600));
        if (type === "Intern") person.endDate = day(AS_OF, int(20, 200));
        break;
    }
  }

  // Names: many locales, a few preferred names, ~1% exact duplicates of an earlier name.
  for (const person of people) {
    const earlier = person.index > 10 && chance(0.01) ? people[int(0, person.index - 1)] : undefined;
    if (earlier) {
      person.givenName = earlier.givenName;
      person.familyName = earlier.familyName;
      continue;
    }
    const local = weighted(NAME_LOCALES);
    person.givenName = local.person.firstName(local.person.sexType());
    person.familyName = local.person.lastName();
    if (chance(0.04)) person.preferredName = faker.person.firstName();
  }

  // Worker IDs in hiring order, as an HRIS hands them out.
  const byHire = [...people].sort((a, b) => (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : a.index - b.index));
  const width = Math.max(6, String(n).length);
  byHire.forEach((p, rank) => (p.workerId = `W${String(rank + 1).padStart(width, "0")}`));
  // Contractors come with the agency's mailbox; the rest get one from the policy template.
  for (const p of people) if (p.workerType === "Contractor") p.email = `${p.workerId.toLowerCase()}@partners.example.net`;

  return { people, ceo, heads, teams };
}

// ---------------------------------------------------------------------------------------------
// Roles, rules, grants, service accounts

interface GenRole {
  id: string;
  description: string;
  owner: string;
  includes?: string[];
  privileged?: boolean;
  groups: string[];
}
type When = Record<string, unknown>;
interface GenRule {
  id: string;
  description: string;
  when: When;
  assign: string[];
}

/** Roles in separation-of-duties conflicts: assigned only by their department-scoped rules. */
const SOD_ROLES = ["finance-approver", "it-admin", "payroll-admin", "hr-records-admin", "db-admin", "legal-hold-admin", "sales-ops-admin"];
const SOD_CONFLICTS = [
  { id: "finance-vs-it-admin", roles: ["finance-approver", "it-admin"], reason: "whoever administers the directory must not also approve payments" },
  { id: "payroll-vs-hr-records", roles: ["payroll-admin", "hr-records-admin"], reason: "whoever pays salaries must not edit the employee records they are computed from" },
  { id: "db-vs-legal-hold", roles: ["db-admin", "legal-hold-admin"], reason: "whoever can delete data must not also release legal holds" },
  { id: "sales-ops-vs-finance-approver", roles: ["sales-ops-admin", "finance-approver"], reason: "whoever books deals must not approve the payments for them" },
  { id: "payroll-vs-finance-approver", roles: ["payroll-admin", "finance-approver"], reason: "payroll runs are approved by someone who did not prepare them" },
];

const FUNCTIONAL: { id: string; titles: string[]; includes: string[]; dept: string }[] = [
  { id: "software-engineer", titles: ["Software Engineer", "Senior Software Engineer", "Staff Engineer", "Engineering Intern"], includes: ["app-github", "app-jira", "app-circleci"], dept: "engineering" },
  { id: "senior-engineer", titles: ["Senior Software Engineer", "Staff Engineer"], includes: ["software-engineer", "app-sentry"], dept: "engineering" },
  { id: "staff-engineer", titles: ["Staff Engineer"], includes: ["senior-engineer", "app-terraform-cloud"], dept: "engineering" },
  { id: "sre", titles: ["Site Reliability Engineer"], includes: ["software-engineer", "app-datadog", "app-pagerduty"], dept: "engineering" },
  { id: "qa-engineer", titles: ["QA Engineer"], includes: ["app-jira", "app-linear"], dept: "engineering" },
  { id: "product-manager", titles: ["Product Manager", "Senior Product Manager", "Group Product Manager"], includes: ["app-amplitude", "app-jira"], dept: "product" },
  { id: "designer", titles: ["Product Designer", "Brand Designer", "UX Researcher"], includes: ["app-figma", "app-miro"], dept: "product" },
  { id: "data-scientist", titles: ["Data Scientist", "Analytics Engineer"], includes: ["app-snowflake", "app-looker"], dept: "data" },
  { id: "data-engineer", titles: ["Data Engineer"], includes: ["data-scientist", "app-github"], dept: "data" },
  { id: "account-executive", titles: ["Account Executive", "Account Manager"], includes: ["app-salesforce", "app-gong", "app-docusign"], dept: "sales" },
  { id: "sdr", titles: ["Sales Development Representative"], includes: ["app-salesforce", "app-hubspot"], dept: "sales" },
  { id: "solutions-engineer", titles: ["Solutions Engineer"], includes: ["account-executive", "app-github"], dept: "sales" },
  { id: "marketer", titles: ["Marketing Specialist", "Growth Marketer", "Content Writer"], includes: ["app-marketo", "app-hubspot"], dept: "marketing" },
  { id: "support-agent", titles: ["Support Specialist", "Senior Support Specialist", "Support Team Lead"], includes: ["app-zendesk", "app-intercom"], dept: "support" },
  { id: "support-engineer", titles: ["Technical Support Engineer"], includes: ["support-agent", "app-sentry", "app-datadog"], dept: "support" },
  { id: "accountant", titles: ["Accountant", "Accounts Payable Specialist", "Financial Analyst"], includes: ["app-netsuite", "app-coupa"], dept: "finance" },
  { id: "recruiter", titles: ["Recruiter", "Talent Acquisition Manager"], includes: ["app-greenhouse"], dept: "people" },
  { id: "people-partner", titles: ["People Partner", "People Operations Specialist"], includes: ["app-workday", "app-lattice"], dept: "people" },
  { id: "it-engineer", titles: ["IT Engineer", "IT Support Technician", "Systems Administrator", "IT Manager"], includes: ["app-jamf", "app-okta-admin"], dept: "it" },
  { id: "security-engineer", titles: ["Security Engineer", "Security Analyst", "Security Manager"], includes: ["app-crowdstrike", "app-splunk", "app-vault"], dept: "security" },
  { id: "lawyer", titles: ["Legal Counsel", "Paralegal", "Compliance Analyst", "Legal Manager"], includes: ["app-ironclad", "app-docusign"], dept: "legal" },
  { id: "operations-analyst", titles: ["Operations Analyst", "Procurement Specialist", "Operations Manager"], includes: ["app-coupa", "app-smartsheet"], dept: "operations" },
];

function buildAccess(org: Org): { roles: GenRole[]; rules: Map<string, GenRule[]>; roleFiles: Map<string, GenRole[]> } {
  const head = (slug: string) => org.heads.get(slug)!.workerId;
  const roleFiles = new Map<string, GenRole[]>();
  const add = (file: string, role: GenRole) => {
    roleFiles.set(file, [...(roleFiles.get(file) ?? []), role]);
  };
  const locSlug = (l: string) => teamSlug(l.normalize("NFD").replace(/[\u0300-\u036f]/g, ""));

  add("workforce", { id: "all-hands", description: "Every active worker (birthright)", owner: head("people"), groups: ["all-hands", "vpn-users"] });
  add("workforce", { id: "staff", description: "Employees and interns", owner: head("people"), groups: ["all-staff"] });
  add("workforce", { id: "contractor", description: "External contractors", owner: head("people"), groups: ["contractors"] });
  add("workforce", { id: "intern", description: "Interns", owner: head("people"), includes: ["staff"], groups: ["interns"] });
  add("workforce", { id: "people-manager", description: "Anyone with direct reports", owner: head("people"), includes: ["app-lattice"], groups: ["people-managers"] });
  add("workforce", { id: "senior-leader", description: "Department heads", owner: org.ceo.workerId, includes: ["people-manager"], groups: ["leadership"] });
  add("departments", { id: "dept-executive", description: "The executive office", owner: org.ceo.workerId, groups: ["dept-executive"] });
  for (const dept of DEPARTMENTS) add("departments", { id: `dept-${dept.slug}`, description: `${dept.name} department`, owner: head(dept.slug), groups: [`dept-${dept.slug}`] });
  for (const dept of DEPARTMENTS) {
    add("departments", { id: `${dept.slug}-lead`, description: `Managers in ${dept.name}`, owner: head(dept.slug), includes: [`dept-${dept.slug}`, "people-manager"], groups: [`${dept.slug}-leads`] });
  }
  for (const dept of DEPARTMENTS) {
    for (const [team] of org.teams.get(dept.slug)!) {
      const id = `team-${dept.slug}-${teamSlug(team)}`;
      add("teams", { id, description: `${dept.name}: ${team} team`, owner: head(dept.slug), groups: [id] });
    }
  }
  for (const [location] of LOCATIONS) add("offices", { id: `office-${locSlug(location)}`, description: `${location} office`, owner: head("operations"), groups: [`office-${locSlug(location)}`] });
  const privileged: [string, string, string][] = [
    ["finance-approver", "Approves payments", "finance"],
    ["it-admin", "Directory administration", "it"],
    ["payroll-admin", "Runs payroll", "finance"],
    ["hr-records-admin", "Edits employee records", "people"],
    ["db-admin", "Production database administration", "engineering"],
    ["legal-hold-admin", "Places and releases legal holds", "legal"],
    ["sales-ops-admin", "Books deals and edits the CRM configuration", "sales"],
    ["prod-access", "Production shell access", "engineering"],
    ["cloud-admin", "Cloud account administration", "engineering"],
    ["security-admin", "Security tooling administration", "security"],
  ];
  for (const [id, description, dept] of privileged) add("privileged", { id, description, owner: head(dept), privileged: true, groups: [id] });
  for (const f of FUNCTIONAL) add("functional", { id: f.id, description: `${f.titles[0]} and related titles`, owner: head(f.dept), includes: f.includes, groups: [f.id] });

  const appRoles: GenRole[] = APPS.map((app) => ({ id: `app-${app}`, description: `${app} user`, owner: head("it"), groups: [`app-${app}`] }));
  const countSoFar = [...roleFiles.values()].reduce((s, l) => s + l.length, 0);
  const admins = Math.max(0, 200 - countSoFar - appRoles.length);
  for (const role of appRoles) add("apps", role);
  for (let i = 0; i < admins; i++) {
    const app = APPS[i % APPS.length]!;
    add("apps", { id: `app-${app}-admin`, description: `${app} administrator`, owner: head("it"), privileged: true, includes: [`app-${app}`], groups: [`app-${app}-admins`] });
  }
  const roles = [...roleFiles.values()].flat();
  const ids = new Set(roles.map((r) => r.id));
  for (const role of roles) for (const inc of role.includes ?? []) if (!ids.has(inc)) throw new Error(`generator bug: ${role.id} includes unknown ${inc}`);

  // ---- rules
  const rules = new Map<string, GenRule[]>();
  const rule = (file: string, r: GenRule) => rules.set(file, [...(rules.get(file) ?? []), r]);
  rule("birthright", { id: "birthright", description: "Every active worker", when: {}, assign: ["all-hands"] });
  rule("birthright", { id: "employees", description: "Employees and interns", when: { workerType: ["employee", "intern"] }, assign: ["staff"] });
  rule("birthright", { id: "contractors", description: "Contractors", when: { workerType: "contractor" }, assign: ["contractor"] });
  rule("birthright", { id: "interns", description: "Interns", when: { workerType: "intern" }, assign: ["intern"] });
  rule("birthright", { id: "managers", description: "People with direct reports", when: { isManager: true }, assign: ["people-manager"] });
  rule("birthright", { id: "senior-leaders", description: "Managers reporting to the CEO", when: { all: [{ managerId: org.ceo.workerId }, { isManager: true }] }, assign: ["senior-leader"] });
  rule("departments", { id: "dept-executive", description: "Executive office", when: { department: EXECUTIVE.name }, assign: ["dept-executive"] });
  for (const dept of DEPARTMENTS) rule("departments", { id: `dept-${dept.slug}`, description: `${dept.name} department`, when: { department: dept.name }, assign: [`dept-${dept.slug}`] });
  for (const dept of DEPARTMENTS) rule("departments", { id: `${dept.slug}-leads`, description: `Managers in ${dept.name}`, when: { all: [{ department: dept.name }, { isManager: true }] }, assign: [`${dept.slug}-lead`] });
  for (const dept of DEPARTMENTS) {
    for (const [team, cc] of org.teams.get(dept.slug)!) {
      rule("teams", { id: `team-${dept.slug}-${teamSlug(team)}`, description: `${dept.name} ${team} (cost centre ${cc})`, when: { costCenter: cc }, assign: [`team-${dept.slug}-${teamSlug(team)}`] });
    }
  }
  for (const [location] of LOCATIONS) rule("locations", { id: `office-${locSlug(location)}`, description: `${location} office`, when: { location }, assign: [`office-${locSlug(location)}`] });
  // Separation-of-duties roles: each scoped to one department, so the conflicting sets never meet.
  rule("privileged", { id: "finance-approvers", description: "Finance managers approve payments", when: { all: [{ department: "Finance" }, { title: ["Finance Manager", "Controller", "Chief Financial Officer"] }] }, assign: ["finance-approver"] });
  rule("privileged", { id: "it-admins", description: "Directory administrators", when: { all: [{ department: "IT" }, { title: ["Systems Administrator", "IT Manager", "Head of IT"] }] }, assign: ["it-admin"] });
  rule("privileged", { id: "payroll-admins", description: "Payroll specialists", when: { all: [{ department: "Finance" }, { title: "Payroll Specialist" }] }, assign: ["payroll-admin"] });
  rule("privileged", { id: "hr-records-admins", description: "People operations edit employee records", when: { all: [{ department: "People" }, { title: ["People Operations Specialist", "Chief People Officer"] }] }, assign: ["hr-records-admin"] });
  rule("privileged", { id: "db-admins", description: "Data engineers and SREs administer databases", when: { all: [{ department: ["Engineering", "Data"] }, { title: ["Data Engineer", "Site Reliability Engineer"] }, { not: { workerType: "contractor" } }] }, assign: ["db-admin"] });
  rule("privileged", { id: "legal-hold-admins", description: "Counsel manage legal holds", when: { all: [{ department: "Legal" }, { title: ["Legal Counsel", "General Counsel"] }] }, assign: ["legal-hold-admin"] });
  rule("privileged", { id: "sales-ops-admins", description: "Sales operations", when: { all: [{ department: "Sales" }, { title: ["Sales Operations Analyst", "VP Sales"] }] }, assign: ["sales-ops-admin"] });
  rule("privileged", { id: "prod-access", description: "On-call engineers (employees only)", when: { all: [{ department: ["Engineering", "Data"] }, { any: [{ title: ["Site Reliability Engineer", "Staff Engineer"] }, { costCenter: org.teams.get("engineering")!.filter(([t]) => t === "Infrastructure" || t === "Platform").map(([, cc]) => cc) }] }, { not: { workerType: ["contractor", "intern"] } }] }, assign: ["prod-access"] });
  rule("privileged", { id: "cloud-admins", description: "Infrastructure managers", when: { all: [{ costCenter: org.teams.get("engineering")!.find(([t]) => t === "Infrastructure")![1] }, { isManager: true }] }, assign: ["cloud-admin"] });
  rule("privileged", { id: "security-admins", description: "Security department employees", when: { all: [{ department: "Security" }, { workerType: "employee" }] }, assign: ["security-admin"] });
  for (const f of FUNCTIONAL) rule("functional", { id: `fn-${f.id}`, description: `Title: ${f.titles.join(", ")}`, when: { title: f.titles }, assign: [f.id] });

  // reportsTo: the organisations of some managers (the first team leads of each department).
  const leads = org.people
    .filter((p) => p.depth === 2 && p.reports.length > 0)
    .sort((a, b) => (a.workerId < b.workerId ? -1 : 1));
  const freeApps = appRoles.map((r) => r.id);
  const fill = 300;
  let i = 0;
  const count = () => [...rules.values()].reduce((s, l) => s + l.length, 0);
  for (const lead of leads.slice(0, 25)) {
    rule("organisations", { id: `org-${lead.workerId.toLowerCase()}`, description: `Everyone in ${lead.title} ${lead.workerId}'s organisation (${lead.team})`, when: { reportsTo: lead.workerId }, assign: [freeApps[i++ % freeApps.length]!] });
  }
  // The rest: combinations of conditions assigning application roles.
  const depts = DEPARTMENTS;
  const allTeams = depts.flatMap((d) => org.teams.get(d.slug)!.map(([t, cc]) => ({ dept: d, team: t, cc })));
  const allTitles = depts.flatMap((d) => [...d.ics.map(([t]) => t), ...d.managers]);
  let k = 0;
  while (count() < fill) {
    const d1 = depts[k % depts.length]!;
    const d2 = depts[(k * 7 + 3) % depts.length]!;
    const loc = LOCATIONS[(k * 3) % LOCATIONS.length]![0];
    const loc2 = LOCATIONS[(k * 3 + 5) % LOCATIONS.length]![0];
    const team = allTeams[(k * 5) % allTeams.length]!;
    const title = (j: number) => allTitles[(k * 11 + j * 13) % allTitles.length]!;
    const lead = leads.length > 0 ? leads[k % leads.length]! : undefined;
    const assign = [freeApps[i++ % freeApps.length]!];
    const id = `app-rule-${String(k + 1).padStart(3, "0")}`;
    let when: When;
    let description: string;
    switch (k % 8) {
      case 0:
        when = { all: [{ department: d1.name }, { location: loc }] };
        description = `${d1.name} in ${loc}`;
        break;
      case 1:
        when = { any: [{ department: d1.name }, { costCenter: team.cc }] };
        description = `${d1.name}, or the ${team.team} team`;
        break;
      case 2:
        when = { all: [{ location: [loc, loc2] }, { not: { workerType: "contractor" } }] };
        description = `Employees and interns in ${loc} or ${loc2}`;
        break;
      case 3:
        when = { title: [title(0), title(1), title(2)] };
        description = "Selected titles";
        break;
      case 4:
        when = { all: [{ department: d1.name }, { any: [{ isManager: true }, { title: [title(0), title(3)] }] }] };
        description = `${d1.name} managers and selected titles`;
        break;
      case 5:
        when = { all: [{ workerType: "employee" }, { not: { department: [d1.name, d2.name] } }] };
        description = `Employees outside ${d1.name} and ${d2.name}`;
        break;
      case 6:
        when = lead ? { any: [{ reportsTo: lead.workerId }, { costCenter: team.cc }] } : { costCenter: team.cc };
        description = `${lead ? `${lead.workerId}'s organisation or ` : ""}the ${team.team} team`;
        break;
      default:
        when = { all: [{ department: [d1.name, d2.name] }, { not: { any: [{ location: loc }, { workerType: "intern" }] } }] };
        description = `${d1.name} and ${d2.name} outside ${loc}, no interns`;
        break;
    }
    rule("applications", { id, description, when, assign });
    k++;
  }
  for (const r of [...rules.values()].flat()) for (const a of r.assign) if (!ids.has(a)) throw new Error(`generator bug: rule ${r.id} assigns unknown ${a}`);
  return { roles, rules, roleFiles };
}

interface GenGrant {
  id: string;
  worker: string;
  role: string;
  reason: string;
  ticket: string;
  approvedBy: string;
  granted: string;
  expires: string;
  sodExceptions?: string[];
}

function buildGrants(org: Org, roles: GenRole[]): GenGrant[] {
  const grantable = roles.filter((r) => !SOD_ROLES.includes(r.id)).map((r) => r.id);
  const eligible = org.people.filter((p) => p.life === "active" && p.manager && p.manager.life === "active");
  const grants: GenGrant[] = [];
  const n = Math.max(6, Math.round(org.people.length / 250));
  let ticket = 4000;
  for (let g = 0; g < n; g++) {
    const worker = pick(eligible);
    const kind = weighted<"current" | "expired" | "future">([["current", 70], ["expired", 20], ["future", 10]]);
    const length = int(7, 90);
    const granted = kind === "current" ? day(AS_OF, -int(0, length - 1)) : kind === "expired" ? day(AS_OF, -int(length + 1, length + 200)) : day(AS_OF, int(1, 30));
    grants.push({
      id: `grant-${String(g + 1).padStart(5, "0")}`,
      worker: worker.workerId,
      role: pick(grantable),
      reason: faker.helpers.arrayElement(["Project support", "Covering for a colleague on leave", "Audit preparation", "Migration work", "Incident follow-up", "Customer escalation"]),
      ticket: `IAM-${ticket++}`,
      approvedBy: worker.manager!.workerId,
      granted,
      expires: day(granted, length - 1),
    });
  }
  // The one approved separation-of-duties exception: an IT administrator who also approves payments.
  const itAdmin = org.people.find((p) => p.deptSlug === "it" && p.life === "active" && ["Systems Administrator", "IT Manager"].includes(p.title)) ?? org.heads.get("it")!;
  grants.push({
    id: "sod-exception-finance-migration",
    worker: itAdmin.workerId,
    role: "finance-approver",
    reason: "Migrates the finance share permissions; SoD exception reviewed by the CFO",
    ticket: `IAM-${ticket++}`,
    approvedBy: org.heads.get("finance")!.workerId,
    granted: day(AS_OF, -10),
    expires: day(AS_OF, 50),
    sodExceptions: ["finance-vs-it-admin"],
  });
  return grants;
}

interface GenServiceAccount {
  id: string;
  owner: string;
  purpose: string;
  expires: string;
  roles: string[];
}

function buildServiceAccounts(org: Org): GenServiceAccount[] {
  const managers = org.people.filter((p) => p.reports.length > 0);
  const leavers = org.people.filter((p) => p.life === "leaver");
  const n = Math.max(5, Math.round(org.people.length / 500));
  const accounts: GenServiceAccount[] = [];
  for (let s = 0; s < n; s++) {
    const app = APPS[s % APPS.length]!;
    const kind = s === 1 && leavers.length > 0 ? "owner-left" : s === 2 ? "expired" : "ok";
    const owner = kind === "owner-left" ? pick(leavers) : pick(managers);
    accounts.push({
      id: `${app}-sync-${s + 1}`,
      owner: owner.workerId,
      purpose: kind === "owner-left" ? `Syncs ${app} (owner has left: no longer declared)` : kind === "expired" ? `Old ${app} export, retired` : `Syncs ${app} with the directory`,
      expires: kind === "expired" ? day(AS_OF, -int(1, 90)) : day(AS_OF, int(30, 700)),
      roles: [`app-${app}`],
    });
  }
  return accounts;
}

// ---------------------------------------------------------------------------------------------
// Writing

const CSV_COLUMNS = ["Employee ID", "First Name", "Last Name", "Preferred Name", "Work Email", "Department", "Cost Center", "Location", "Job Title", "Manager ID", "Worker Type", "Employment Status", "Hire Date", "Termination Date"];

function csvField(value: string | undefined): string {
  const v = value ?? "";
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function rosterCsv(org: Org): string {
  const rows = [...org.people].sort((a, b) => (a.workerId < b.workerId ? -1 : 1));
  const lines = [CSV_COLUMNS.join(",")];
  for (const p of rows) {
    lines.push(
      [p.workerId, p.givenName, p.familyName, p.preferredName, p.email, p.department, p.costCenter, p.location, p.title, p.manager?.workerId, p.workerType, p.status, p.startDate, p.endDate]
        .map(csvField)
        .join(","),
    );
  }
  return lines.join("\n") + "\n";
}

const HR_SOURCE = `# The HR export rolecall reads, and how its columns map onto person fields (Workday-style).
file: roster.csv
columns:
  workerId: Employee ID
  givenName: First Name
  familyName: Last Name
  preferredName: Preferred Name
  email: Work Email
  department: Department
  costCenter: Cost Center
  location: Location
  title: Job Title
  managerId: Manager ID
  workerType: Worker Type
  status: Employment Status
  startDate: Hire Date
  endDate: Termination Date
values:
  status:
    Active: active
    On Leave: leave
    Terminated: terminated
  workerType:
    Employee: employee
    Contractor: contractor
    Intern: intern
`;

const yamlDoc = (header: string, data: unknown) => `# ${header}\n${stringify(data, { lineWidth: 0 })}`;

/** Writes the desired-state folder for `workers` people into `dir` (replacing it). */
export async function generate(workers: number, dir: string): Promise<GeneratedMeta> {
  if (!Number.isInteger(workers) || workers < 100) throw new Error(`scale must be an integer ≥ 100, got ${workers}`);
  faker.seed(SEED + workers);
  NAME_LOCALES.forEach(([f], i) => f.seed(SEED + workers * 31 + i));
  const org = buildOrg(workers);
  const { roles, rules, roleFiles } = buildAccess(org);
  const grants = buildGrants(org, roles);
  const serviceAccounts = buildServiceAccounts(org);

  const groups: Record<string, { displayName: string; description?: string }> = {};
  const title = (key: string) => key.split("-").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ");
  for (const role of roles) for (const g of role.groups) groups[g] = { displayName: title(g), ...(role.privileged ? { description: `Privileged: ${role.description}` } : {}) };
  for (const extra of ["break-glass", "legacy-wiki", "beta-testers"]) groups[extra] = { displayName: title(extra), description: "Not granted by any role" };
  const catalog = { scim: { groups: Object.fromEntries(Object.entries(groups).sort(([a], [b]) => (a < b ? -1 : 1))) } };

  const policy = {
    organization: { domain: "example.com", timezone: "Europe/Berlin" },
    identity: { loginTemplate: "{preferred}.{family}", emailTemplate: "{login}@{domain}", useHrEmail: true },
    lifecycle: { preHireDays: 14, leaverGraceDays: 7, onLeave: "suspend", contractorsNeedEndDate: true },
    guardrails: { maxDeprovision: { count: Math.max(10, Math.round(workers / 100)), percent: 5 }, minRosterSize: Math.round(workers * 0.9) },
    protected: [org.ceo.workerId],
    separationOfDuties: SOD_CONFLICTS,
    grants: { maxDays: 90, privilegedNeedTicketAndApprover: true },
    serviceAccounts: { onInvalid: "drop", loginPrefix: "svc-" },
  };

  await rm(dir, { recursive: true, force: true });
  for (const sub of ["hr", "roles", "rules", "grants", "service-accounts"]) await mkdir(path.join(dir, sub), { recursive: true });
  const files: [string, string][] = [
    ["hr/source.yaml", HR_SOURCE],
    ["hr/roster.csv", rosterCsv(org)],
    ["policy.yaml", yamlDoc(`Synthetic organisation: ${workers} workers, seed ${SEED}, as of ${AS_OF}.`, policy)],
    ["catalog.yaml", yamlDoc("SCIM groups, one or two per role.", catalog)],
  ];
  for (const [file, list] of roleFiles) files.push([`roles/${file}.yaml`, yamlDoc(`${file} roles`, { roles: list.map(({ groups: g, ...r }) => ({ ...r, entitlements: { scim: { groups: g } } })) })]);
  for (const [file, list] of rules) files.push([`rules/${file}.yaml`, yamlDoc(`${file} rules`, { rules: list })]);
  const half = Math.ceil(grants.length / 2);
  files.push(["grants/2026-h1.yaml", yamlDoc("grants", { grants: grants.slice(0, half) })]);
  files.push(["grants/2026-h2.yaml", yamlDoc("grants", { grants: grants.slice(half) })]);
  files.push(["service-accounts/integrations.yaml", yamlDoc("service accounts", { serviceAccounts })]);
  const meta: GeneratedMeta = {
    workers,
    seed: SEED,
    asOf: AS_OF,
    generator: GENERATOR_VERSION,
    roles: roles.length,
    rules: [...rules.values()].reduce((s, l) => s + l.length, 0),
    grants: grants.length,
    serviceAccounts: serviceAccounts.length,
    catalogGroups: Object.keys(groups).length,
  };
  files.push(["bench-meta.json", JSON.stringify(meta, null, 2) + "\n"]);
  for (const [file, text] of files) await writeFile(path.join(dir, file), text);
  return meta;
}

/** The generated folder's metadata, or undefined when it is missing or from another generator version. */
export async function existingMeta(dir: string): Promise<GeneratedMeta | undefined> {
  try {
    const meta = JSON.parse(await readFile(path.join(dir, "bench-meta.json"), "utf8")) as GeneratedMeta;
    return meta.generator === GENERATOR_VERSION && meta.seed === SEED ? meta : undefined;
  } catch {
    return undefined;
  }
}

/** The repository root: the nearest ancestor with rolecall's package.json. */
export async function repoRoot(from = path.dirname(fileURLToPath(import.meta.url))): Promise<string> {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { name?: string };
      if (pkg.name === "rolecall") return dir;
    } catch {
      // keep walking up
    }
    if (path.dirname(dir) === dir) throw new Error("cannot find the rolecall repository root");
  }
}

export async function inputsDir(workers: number): Promise<string> {
  return path.join(await repoRoot(), "bench", ".inputs", String(workers));
}

// `node bench/compile/.build/bench/compile/generate.js 1000 10000` writes bench/.inputs/<n>/.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const scales = process.argv.slice(2).map(Number);
  for (const n of scales.length > 0 ? scales : [1000]) {
    const dir = await inputsDir(n);
    const started = performance.now();
    const meta = await generate(n, dir);
    console.log(`${dir}: ${meta.workers} workers, ${meta.roles} roles, ${meta.rules} rules, ${meta.grants} grants, ${meta.serviceAccounts} service accounts (${Math.round(performance.now() - started)} ms)`);
  }
}
