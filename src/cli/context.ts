import { access } from "node:fs/promises";
import path from "node:path";
import { EnvironmentError } from "../engine/errors.js";

/** Inputs are invalid or a guardrail refused: exit 1, the message says what and where. */
export class RefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefusedError";
  }
}

/**
 * Changes are pending and were not applied — declined, or no --yes without a terminal: exit 3,
 * so a scheduled job that forgot --yes does not go green.
 */
export class NotAppliedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotAppliedError";
  }
}

/**
 * The proof is not there: exit 5 when someone still holds access after the apply, 6 when a
 * target could not be read live for someone (fail closed: unproven is not proven).
 */
export class NotProvenError extends Error {
  constructor(
    message: string,
    readonly verdict: "failed" | "unverified",
  ) {
    super(message);
    this.name = "NotProvenError";
  }
}

/** A flag or argument that makes no sense: exit 2, like commander's own usage errors. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The project folder: the nearest one upwards holding Pulumi.yaml. */
export async function findProjectDir(start = process.cwd()): Promise<string> {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    try {
      await access(path.join(dir, "Pulumi.yaml"));
      return dir;
    } catch {
      if (path.dirname(dir) === dir) {
        throw new EnvironmentError(`no Pulumi.yaml in ${start} or above`, "run rolecall inside a rolecall project (the folder holding Pulumi.yaml and desired-state/)");
      }
    }
  }
}

/** Progress lines go to stderr so stdout stays clean for JSON. */
export function progress(line: string): void {
  process.stderr.write(`rolecall: ${line}\n`);
}

/** The sandbox's port: 7643 unless ROLECALL_SANDBOX_PORT says otherwise (tests, a busy port). */
export function sandboxPort(): number | undefined {
  const raw = process.env.ROLECALL_SANDBOX_PORT;
  if (raw === undefined || raw === "") return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new EnvironmentError(`ROLECALL_SANDBOX_PORT=${raw} is not a port`, "set it to a number between 1 and 65535, or unset it for 7643");
  }
  return port;
}
