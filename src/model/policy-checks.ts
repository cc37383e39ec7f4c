import type { z } from "zod";

/** What a login template may use; identity.ts fills these from the roster row. */
export const LOGIN_PLACEHOLDERS = ["given", "family", "preferred", "workerId", "domain"] as const;
/** What an email template may use: the assigned login and the organisation's domain. */
export const EMAIL_PLACEHOLDERS = ["login", "domain"] as const;

const PERSONAL = new Set(["given", "family", "preferred", "workerId"]);
const PLACEHOLDER = /\{([^{}]*)\}/g;

type Ctx = z.core.$RefinementCtx;

/**
 * A template's problems: unknown placeholders, stray braces, characters no login may hold.
 * `literal` is what the text between placeholders may contain.
 */
function templateProblems(template: string, known: readonly string[], literal: RegExp): string[] {
  const problems: string[] = [];
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!known.includes(name!)) problems.push(`unknown placeholder {${name}}: use ${known.map((k) => `{${k}}`).join(", ")}`);
  }
  const rest = template.replace(PLACEHOLDER, "");
  if (/[{}]/.test(rest)) problems.push("an unmatched brace: placeholders are written {name}");
  const bad = [...new Set(rest.replace(/[{}]/g, "").split("").filter((c) => !literal.test(c)))];
  if (bad.length > 0) problems.push(`characters ${bad.map((c) => JSON.stringify(c)).join(", ")} cannot appear in it`);
  return problems;
}

/** The login template: known placeholders, at least one that differs per person, login-safe text. */
export function checkLoginTemplate(template: string, ctx: Ctx): void {
  const path = ["identity", "loginTemplate"];
  for (const message of templateProblems(template, LOGIN_PLACEHOLDERS, /[a-z0-9._-]/)) ctx.addIssue({ code: "custom", path, message: `loginTemplate: ${message}` });
  const names = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
  if (!names.some((n) => PERSONAL.has(n))) {
    ctx.addIssue({ code: "custom", path, message: "loginTemplate names nobody: use {given}, {family}, {preferred} or {workerId}, e.g. {given}.{family}" });
  }
}

/**
 * The email template must give every person their own valid address: exactly one @, the
 * login in the local part, and a domain after it. Checked by rendering it for a sample login.
 */
export function checkEmailTemplate(template: string, domain: string, ctx: Ctx): void {
  const path = ["identity", "emailTemplate"];
  const problems = templateProblems(template, EMAIL_PLACEHOLDERS, /[A-Za-z0-9.@_+-]/);
  for (const message of problems) ctx.addIssue({ code: "custom", path, message: `emailTemplate: ${message}` });
  if (problems.length > 0) return;
  const [local, host, ...more] = template.split("@");
  if (host === undefined || more.length > 0) {
    ctx.addIssue({ code: "custom", path, message: `emailTemplate '${template}' does not make an email address: it needs exactly one @ and a domain, e.g. {login}@{domain}` });
    return;
  }
  if (!local!.includes("{login}")) {
    ctx.addIssue({ code: "custom", path, message: "emailTemplate must put {login} before the @, or everyone would share one address" });
  }
  const rendered = host.replaceAll("{domain}", domain);
  if (host.includes("{login}") || !DOMAIN.test(rendered)) {
    ctx.addIssue({ code: "custom", path, message: `emailTemplate's domain '${host}' is not a DNS domain; use {domain} or a domain such as mail.example.com` });
  }
}

/** A DNS name of at least two labels, each 1–63 letters, digits and inner dashes. */
export const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * The zone must be one the runtime knows under exactly this name; an unknown one would
 * otherwise throw a RangeError the first time a date is computed.
 */
export function checkTimezone(zone: string, ctx: Ctx): void {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    ctx.addIssue({ code: "custom", path: ["organization", "timezone"], message: `timezone '${zone}' is not an IANA time zone; use a name such as Europe/Berlin, America/New_York or UTC` });
    return;
  }
  if (resolved !== zone && resolved.toLowerCase() === zone.toLowerCase()) {
    ctx.addIssue({ code: "custom", path: ["organization", "timezone"], message: `timezone '${zone}' is written '${resolved}'` });
  }
}

/** Items of a list that repeat, reported at the repeat. */
export function checkUnique(values: readonly string[], path: (string | number)[], what: string, ctx: Ctx): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) ctx.addIssue({ code: "custom", path: [...path, index], message: `${what} '${value}' is listed twice` });
    seen.add(value);
  });
}
