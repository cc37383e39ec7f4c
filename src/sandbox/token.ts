import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { readTextIfExists } from "./files.js";
import { sandboxPaths } from "./paths.js";

const TOKEN_SHAPE = /^[0-9a-f]{64}$/;

/** The sandbox's bearer token: generated on first start, then reused so clients keep working. */
export async function loadOrCreateToken(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = sandboxPaths(dir).token;
  const existing = await readToken(dir);
  if (existing !== undefined) {
    // Someone may have copied the directory with a laxer umask; the token must stay private.
    await chmod(file, 0o600);
    return existing;
  }
  const token = randomBytes(32).toString("hex");
  try {
    await writeFile(file, `${token}\n`, { mode: 0o600, flag: "wx" });
    return token;
  } catch (error) {
    // Another process created it between our read and write: use theirs.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const winner = await readToken(dir);
    if (winner === undefined) throw error;
    return winner;
  }
}

/** The stored token, or undefined before the sandbox first started. */
export async function readToken(dir: string): Promise<string | undefined> {
  const file = sandboxPaths(dir).token;
  const text = await readTextIfExists(file);
  if (text === undefined) return undefined;
  const token = text.trim();
  if (!TOKEN_SHAPE.test(token)) {
    throw new Error(`${file} does not hold a sandbox token; delete it and start the sandbox again`);
  }
  return token;
}

/**
 * Whether an Authorization header carries the token. Both sides are hashed first so the
 * comparison is constant-time whatever the length of what the client sent.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? "")?.[1] ?? "";
  return timingSafeEqual(sha256(presented), sha256(token));
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
