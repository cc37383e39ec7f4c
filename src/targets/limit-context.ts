import { fieldAt, settingAt } from "../compile/places.js";
import type { DesiredState, DirectoryUser } from "../model/desired-state.js";
import type { Finding } from "../model/finding.js";
import type { Inputs } from "../model/inputs.js";
import type { StackSettings } from "../model/stack-settings.js";

/**
 * What a target's limit checks see: the compiled desired state, the inputs it came from
 * (for the places of findings) and the stack's settings of the target.
 */
export interface LimitContext<S = unknown> {
  desired: DesiredState;
  inputs: Pick<Inputs, "serviceAccounts" | "lines">;
  settings: S;
}

export type TargetName = keyof StackSettings["targets"];

/**
 * Where the values of an account come from: a person's roster row, a service account's
 * item. Findings point there, since that is what the user edits.
 */
export function accountPlace(ctx: LimitContext, user: Pick<DirectoryUser, "key" | "kind" | "serviceAccount">): { file: string; line?: number } {
  if (user.kind === "service-account") {
    const item = ctx.inputs.serviceAccounts.find((s) => s.value.id === user.serviceAccount);
    if (item) return fieldAt(item, "id");
  }
  return rowsOf(ctx.desired).get(user.key) ?? { file: "hr/roster.csv" };
}

const rows = new WeakMap<DesiredState, Map<string, { file: string; line: number }>>();
function rowsOf(desired: DesiredState): Map<string, { file: string; line: number }> {
  let map = rows.get(desired);
  if (!map) rows.set(desired, (map = new Map(desired.people.map((p) => [p.id, p.source]))));
  return map;
}

/** Where a catalog entry is written, by dotted path (`aws.permissionSets.admin.name`). */
export function catalogPlace(ctx: LimitContext, path: string): { file: string; line?: number } {
  return settingAt(ctx.inputs, "catalog.yaml", path);
}

/** One limit finding: always an error — the target would refuse it at apply time. */
export function limitFinding(target: TargetName, place: { file: string; line?: number }, message: string, hint: string): Finding {
  return { severity: "error", code: `${target}-limit`, message: `${target}: ${message}`, ...place, hint };
}

/** Users of a target's projection that will exist there. */
export function usersOf(ctx: LimitContext, target: TargetName): DirectoryUser[] {
  return ctx.desired.targets[target]?.users ?? [];
}

/**
 * RFC 5321 §4.5.3.1: a local part of at most 64 octets, a domain of at most 255, a path of
 * 256 with its brackets, so an address of at most 254. The problem, or undefined.
 */
export function emailProblem(email: string): string | undefined {
  const at = email.lastIndexOf("@");
  if (at <= 0 || at === email.length - 1 || email.indexOf("@") !== at) return `'${email}' is not an email address (one @, a local part and a domain)`;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (Buffer.byteLength(local) > 64) return `the email's local part '${local}' is ${Buffer.byteLength(local)} characters; at most 64`;
  if (Buffer.byteLength(email) > 254) return `the email '${email.slice(0, 40)}…' is ${Buffer.byteLength(email)} characters; at most 254`;
  if (!/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(domain)) return `the email's domain '${domain}' is not a DNS domain`;
  if (!/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/.test(local) || local.startsWith(".") || local.endsWith(".") || local.includes("..")) {
    return `the email's local part '${local}' has characters an address cannot hold`;
  }
  return undefined;
}

/** Every user's email checked against RFC 5321 (shared by the targets that send one). */
export function emailLimits(ctx: LimitContext, target: TargetName): Finding[] {
  return usersOf(ctx, target).flatMap((u) => {
    const problem = emailProblem(u.email);
    return problem ? [limitFinding(target, accountPlace(ctx, u), `${u.key}: ${problem}`, "shorten or correct the email in the HR export, or the name the login template builds it from")] : [];
  });
}

/** A value longer than a target's limit, reported at its account. */
export function lengthLimit(ctx: LimitContext, target: TargetName, user: DirectoryUser, field: string, value: string | undefined, max: number): Finding[] {
  if (value === undefined || [...value].length <= max) return [];
  return [limitFinding(target, accountPlace(ctx, user), `${user.key}: ${field} is ${[...value].length} characters; ${target} holds at most ${max}`, `shorten it in the HR export (or the template that derives it)`)];
}
