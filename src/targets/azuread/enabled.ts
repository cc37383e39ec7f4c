import type { StackRecord } from "../record.js";

/**
 * Whether rolecall's own record has the account enabled after the last apply: the lifecycle
 * state the stack's record settled on (kept as it was for an account whose step did not
 * happen), never what the tenant shows, which other writers change. Undefined when the record
 * does not say — no record, an account it lacks, a service account, a record from before
 * states were kept.
 */
export function recordedEnabled(record: Pick<StackRecord, "accounts"> | undefined, key: string): boolean | undefined {
  const state = record?.accounts[key]?.state;
  return state === undefined ? undefined : state === "active";
}

/**
 * Whether `accountEnabled` is left as the tenant has it. Only an enabled account can be held:
 * when rolecall last enabled it too, no transition of its own is due, so a disabled account is
 * someone else's block of sign-in (an administrator during an incident, a security tool) and
 * stays. An enable rolecall owes — back from leave, a start date, a rehire — is sent, and so is
 * every disable: an account others enabled against the lifecycle is always disabled again.
 * When the record does not say, the account is held: enabling is the change that grants access.
 * `revertDrift`: the stack's settings ask for others' blocks to be undone.
 */
export function holdsEnabled(wanted: boolean, recorded: boolean | undefined, revertDrift: boolean): boolean {
  return wanted && recorded !== false && !revertDrift;
}
