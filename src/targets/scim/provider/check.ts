import { idsIn, packIds } from "../../member-list.js";
import { UNKNOWN, isUnknown, type Value, type ValueMap } from "./values.js";

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface CheckResult {
  inputs: ValueMap;
  failures: CheckFailure[];
}

type FieldRule = "nonEmptyString" | "string" | "optionalString" | "boolean" | "email";

const USER_FIELDS: Record<string, FieldRule> = {
  userName: "nonEmptyString",
  externalId: "nonEmptyString",
  givenName: "string",
  familyName: "string",
  displayName: "nonEmptyString",
  email: "email",
  active: "boolean",
  title: "optionalString",
  adoptId: "optionalString",
  adoptUserName: "optionalString",
};

const GROUP_FIELDS: Record<string, FieldRule> = {
  displayName: "nonEmptyString",
  externalId: "nonEmptyString",
  adoptId: "optionalString",
  adoptDisplayName: "optionalString",
};

const ORPHAN_FIELDS: Record<string, FieldRule> = {
  accountId: "nonEmptyString",
  userName: "nonEmptyString",
  externalId: "optionalString",
  action: "nonEmptyString",
};

/** An orphan's action is `disable` or `remove`; reporting one declares nothing. */
export function checkOrphan(given: ValueMap): CheckResult {
  const news = withoutNulls(given);
  const failures = [...checkFields(news, ORPHAN_FIELDS), ...unexpected(news, Object.keys(ORPHAN_FIELDS))];
  const action = news["action"];
  if (!isUnknown(action) && action !== "disable" && action !== "remove") failures.push({ property: "action", reason: "must be disable or remove" });
  return { inputs: news, failures };
}

/** Whether both sides name the same account: userName is caseExact:false (RFC 7643 §4.1.1). */
export function sameName(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.normalize("NFC").toLowerCase() === b.normalize("NFC").toLowerCase();
}

/**
 * Values are kept as given: the email's case is the person's, and SCIM matches userName
 * case-insensitively anyway. Unknown values (preview) pass; they are checked again at apply.
 */
export function checkUser(given: ValueMap): CheckResult {
  const news = withoutNulls(given);
  const failures = [...checkFields(news, USER_FIELDS), ...unexpected(news, Object.keys(USER_FIELDS))];
  return { inputs: news, failures };
}

/**
 * Members are a set: sorted, deduplicated and packed into one element (member-list.ts), so
 * that order in the program never shows as a change and the engine holds one value per group.
 */
export function checkGroup(given: ValueMap): CheckResult {
  const news = withoutNulls(given);
  const failures = [...checkFields(news, GROUP_FIELDS), ...unexpected(news, [...Object.keys(GROUP_FIELDS), "members"])];
  const members = news["members"] ?? [];
  if (isUnknown(members)) return { inputs: news, failures };
  if (!Array.isArray(members)) {
    failures.push({ property: "members", reason: "must be a list of SCIM user ids" });
    return { inputs: news, failures };
  }
  const known: string[] = [];
  let unknowns = 0;
  members.forEach((member, i) => {
    if (isUnknown(member)) unknowns++;
    else if (typeof member === "string" && idsIn(member).every((id) => id !== "")) known.push(...idsIn(member));
    else failures.push({ property: `members[${i}]`, reason: "must be non-empty SCIM user ids, one per line" });
  });
  // Unknown ids go last: they are users still to be created, so never equal to a known member.
  const normalised: Value[] = [...packIds(known), ...Array<Value>(unknowns).fill(UNKNOWN)];
  return { inputs: { ...news, members: normalised }, failures };
}

function checkFields(news: ValueMap, fields: Record<string, FieldRule>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const [property, rule] of Object.entries(fields)) {
    const value = news[property];
    if (isUnknown(value)) continue;
    const reason = violation(rule, value);
    if (reason) failures.push({ property, reason });
  }
  return failures;
}

function violation(rule: FieldRule, value: Value | undefined): string | undefined {
  if (value === undefined || value === null) return rule === "optionalString" ? undefined : "is required";
  switch (rule) {
    case "boolean":
      return typeof value === "boolean" ? undefined : "must be a boolean";
    case "string":
    case "optionalString":
      return typeof value === "string" ? undefined : "must be a string";
    case "nonEmptyString":
      return typeof value === "string" && value.trim() !== "" ? undefined : "must be a non-empty string";
    case "email":
      return typeof value === "string" && /^[^\s@]+@[^\s@]+$/.test(value) ? undefined : "must be an email address";
  }
}

function unexpected(news: ValueMap, allowed: string[]): CheckFailure[] {
  return Object.keys(news)
    .filter((key) => !allowed.includes(key))
    .map((property) => ({ property, reason: `is not a property of this resource (expected: ${allowed.join(", ")})` }));
}

/** A null input is an unset one; SCIM would otherwise receive `"title": null`. */
function withoutNulls(news: ValueMap): ValueMap {
  return Object.fromEntries(Object.entries(news).filter(([, v]) => v !== null));
}
