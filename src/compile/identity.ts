import anyAscii from "any-ascii";
import type { Worker } from "../model/person.js";
import type { Policy } from "../model/policy.js";
import { byString } from "./order.js";

export interface Identity {
  login: string;
  email: string;
  displayName: string;
}

/**
 * Logins and emails from the policy templates, transliterated to ASCII. Colliding logins get
 * a numeric suffix in order of start date, then worker ID: whoever was there first keeps the
 * plain login, so a new arrival never renames an existing person.
 */
export function assignIdentities(workers: Worker[], policy: Policy): Map<string, Identity> {
  const taken = new Set<string>();
  const identities = new Map<string, Identity>();
  for (const worker of [...workers].sort(seniority)) {
    const base = render(policy.identity.loginTemplate, worker, policy);
    let login = base;
    // Suffixes skip any login already given, even one that is someone else's plain login.
    for (let n = 2; taken.has(login); n++) login = `${base}${n}`;
    taken.add(login);
    const generated = policy.identity.emailTemplate.replaceAll("{login}", login).replaceAll("{domain}", policy.organization.domain);
    identities.set(worker.workerId, {
      login,
      email: policy.identity.useHrEmail && worker.email ? worker.email.toLowerCase() : generated,
      displayName: `${worker.preferredName ?? worker.givenName} ${worker.familyName}`,
    });
  }
  return identities;
}

const seniority = (a: Worker, b: Worker) => byString<Worker>((w) => `${w.startDate} ${w.workerId}`)(a, b);

function render(template: string, worker: Worker, policy: Policy): string {
  const part = (s: string | undefined) =>
    anyAscii(s ?? "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "");
  return template
    .replaceAll("{given}", part(worker.givenName))
    .replaceAll("{preferred}", part(worker.preferredName ?? worker.givenName))
    .replaceAll("{family}", part(worker.familyName))
    .replaceAll("{workerId}", part(worker.workerId))
    .replaceAll("{domain}", policy.organization.domain);
}
