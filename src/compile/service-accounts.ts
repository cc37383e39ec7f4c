import type { ServiceAccountState } from "../model/desired-state.js";
import type { Finding } from "../model/finding.js";
import type { Located } from "../model/person.js";
import type { Policy } from "../model/policy.js";
import type { ServiceAccount } from "../model/service-account.js";
import type { LifecycleById } from "./lifecycle.js";
import { fieldAt } from "./places.js";
import { HeldRoles } from "./entitlements.js";
import type { RoleIndex } from "./roles.js";

/**
 * Non-human identities live only while someone answers for them: an owner who has left (or
 * not started), or a passed expiry, takes the account out of the desired state — or fails
 * validation, as policy chooses. An owner who is not in the roster at all is no leaver but
 * a wrong reference, refused by the integrity checks. An owner on leave keeps it, with a warning: a production
 * integration should not stop because its owner is on holiday.
 */
export function serviceAccountStates(
  accounts: Located<ServiceAccount>[],
  lives: LifecycleById,
  roles: RoleIndex,
  policy: Policy,
  asOf: string,
): { states: ServiceAccountState[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const states: ServiceAccountState[] = [];
  const seen = new Set<string>();
  for (const item of accounts) {
    const { value: sa, at } = item;
    if (seen.has(sa.id)) {
      findings.push({ severity: "error", code: "duplicate-service-account", message: `service account '${sa.id}' is defined twice`, ...at, hint: "give each service account a unique id" });
      continue;
    }
    seen.add(sa.id);
    if (lives.has(serviceAccountKey(sa.id, policy))) {
      findings.push({ severity: "error", code: "service-account-collision", message: `service account '${sa.id}' would take the key ${serviceAccountKey(sa.id, policy)}, a worker ID`, ...at, hint: "rename the service account or change serviceAccounts.loginPrefix in policy.yaml" });
    }
    sa.roles.forEach((role, index) => {
      if (!roles.byId.has(role)) findings.push({ severity: "error", code: "unknown-role", message: `service account '${sa.id}' holds unknown role '${role}'`, ...fieldAt(item, `roles.${index}`), hint: "define the role under roles/" });
    });
    const owner = lives.get(sa.owner);
    let invalid: string | undefined;
    if (!owner) invalid = `its owner ${sa.owner} is not in the roster`;
    else if (owner.state === "leaver" || owner.state === "prehire") invalid = `its owner ${sa.owner} is not active (${owner.reason})`;
    else if (sa.expires < asOf) invalid = `it expired on ${sa.expires}`;
    if (owner?.state === "leave" && !invalid) {
      findings.push({ severity: "warning", code: "service-account-owner-on-leave", message: `service account '${sa.id}' is owned by ${sa.owner}, who is on leave`, ...at, hint: "name a deputy owner if the leave is long" });
    }
    // An owner missing from the roster is an integrity error (unknown-worker), not a leaver.
    if (invalid && owner) {
      const fail = policy.serviceAccounts.onInvalid === "fail";
      findings.push({
        severity: fail ? "error" : "warning",
        code: "service-account-invalid",
        message: `service account '${sa.id}' ${fail ? "is invalid" : "is no longer declared"}: ${invalid}`,
        ...at,
        hint: "give it an active owner and a future expiry, or delete it",
      });
    }
    const held = new HeldRoles(roles);
    if (!invalid) for (const role of sa.roles) held.give(role, { kind: "service-account", serviceAccount: sa.id });
    states.push({
      id: sa.id,
      key: serviceAccountKey(sa.id, policy),
      owner: sa.owner,
      purpose: sa.purpose,
      expires: sa.expires,
      declared: invalid === undefined,
      reason: invalid ?? `owned by ${sa.owner}, expires ${sa.expires}`,
      roles: held.list(),
    });
  }
  return { states, findings };
}

/** A service account's key and login: the policy's prefix and its id, e.g. svc-payroll-export. */
export function serviceAccountKey(id: string, policy: Policy): string {
  return `${policy.serviceAccounts.loginPrefix}${id}`;
}
