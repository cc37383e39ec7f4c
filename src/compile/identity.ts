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
  const base = new Map<string, string[]>();
  for (const worker of [...workers].sort(seniority)) {
    const login = render(policy.identity.loginTemplate, worker, policy);
    base.set(login, [...(base.get(login) ?? []), worker.workerId]);
  }
  const identities = new Map<string, Identity>();
  const byId = new Map(workers.map((w) => [w.workerId, w]));
  for (const [login, ids] of base) {
    ids.forEach((id, i) => {
      const worker = byId.get(id)!;
      const unique = i === 0 ? login : `${login}${i + 1}`;
      const generated = policy.identity.emailTemplate
        .replaceAll("{login}", unique)
        .replaceAll("{domain}", policy.organization.domain);
      identities.set(id, {
        login: unique,
        email: policy.identity.useHrEmail && worker.email ? worker.email.toLowerCase() : generated,
        displayName: `${worker.preferredName ?? worker.givenName} ${worker.familyName}`,
      });
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
