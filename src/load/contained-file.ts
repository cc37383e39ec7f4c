import { createHash, type Hash } from "node:crypto";
import { constants } from "node:fs";
import { open, realpath, stat, type FileHandle } from "node:fs/promises";
import path from "node:path";

/** Why a file was not read; the loader turns it into a finding at the place that named the file. */
export interface Refusal {
  code: "file-outside" | "not-a-file" | "missing-file" | "file-too-large" | "file-unreadable";
  reason: string;
}

export interface OpenedFile {
  handle: FileHandle;
  size: number;
}

/**
 * A path as written in the desired state (`file:` in hr/source.yaml, a name from a folder
 * listing): relative, without `..`, so it cannot name anything outside the folder even
 * before symlinks are looked at.
 */
export function pathRefusal(rel: string): Refusal | undefined {
  if (rel.includes("\0")) return { code: "file-outside", reason: "the path contains a NUL character" };
  if (path.posix.isAbsolute(rel) || path.win32.isAbsolute(rel)) return { code: "file-outside", reason: `'${rel}' is an absolute path` };
  if (rel.split(/[\\/]/).includes("..")) return { code: "file-outside", reason: `'${rel}' climbs out with '..'` };
  return undefined;
}

/**
 * Opens `rel` under `root` only if it is a regular file whose real path (every symlink
 * resolved) lies inside the real root. The file is opened before its real path is checked and
 * both are compared by device and inode, so a link swapped in between is caught too. Opening
 * is non-blocking: a FIFO is refused at once instead of waiting for a writer.
 */
export async function openContained(root: string, rel: string): Promise<OpenedFile | Refusal> {
  const refused = pathRefusal(rel);
  if (refused) return refused;
  const full = path.join(root, rel);
  let handle: FileHandle;
  try {
    handle = await open(full, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    return openError(rel, error as NodeJS.ErrnoException);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) {
      await handle.close();
      return { code: "not-a-file", reason: `${rel} is ${kindOf(st)}, not a regular file` };
    }
    const [realRoot, real] = await Promise.all([realpath(root), realpath(full)]);
    const inside = path.relative(realRoot, real);
    const same = await stat(real).then((r) => r.dev === st.dev && r.ino === st.ino);
    if (inside === "" || inside.startsWith("..") || path.isAbsolute(inside) || !same) {
      await handle.close();
      return { code: "file-outside", reason: `${rel} resolves outside the desired-state folder (a symlink leading out)` };
    }
    return { handle, size: st.size };
  } catch (error) {
    await handle.close();
    return openError(rel, error as NodeJS.ErrnoException);
  }
}

function openError(rel: string, error: NodeJS.ErrnoException): Refusal {
  switch (error.code) {
    case "ENOENT":
    case "ENOTDIR":
      return { code: "missing-file", reason: `${rel} does not exist` };
    case "ELOOP":
      return { code: "file-outside", reason: `${rel} is a symlink loop` };
    case "EISDIR":
      return { code: "not-a-file", reason: `${rel} is a directory, not a regular file` };
    default:
      return { code: "file-unreadable", reason: `${rel} cannot be read (${error.code ?? error.message})` };
  }
}

function kindOf(st: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  return "not a regular file";
}

/** Thrown by `chunksOf` when a file holds more than its limit; the reader stops there. */
export class InputTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`larger than ${limit} bytes`);
  }
}

/**
 * The file's bytes in chunks, hashing them as they pass, and stopping with InputTooLarge as
 * soon as more than `maxBytes` have been read (the size in the inode may lie, or grow).
 */
export async function* chunksOf(file: OpenedFile, maxBytes: number, hash: Hash): AsyncGenerator<Buffer> {
  if (file.size > maxBytes) throw new InputTooLarge(maxBytes);
  let total = 0;
  for (;;) {
    const buffer = Buffer.allocUnsafe(64 * 1024);
    const { bytesRead } = await file.handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) return;
    total += bytesRead;
    if (total > maxBytes) throw new InputTooLarge(maxBytes);
    const chunk = buffer.subarray(0, bytesRead);
    hash.update(chunk);
    yield chunk;
  }
}

/** A whole contained file, bounded: its bytes and their SHA-256, or why it was refused. */
export async function readContained(root: string, rel: string, maxBytes: number): Promise<{ bytes: Buffer; sha256: string } | Refusal> {
  const file = await openContained(root, rel);
  if ("code" in file) return file;
  const hash = createHash("sha256");
  const parts: Buffer[] = [];
  try {
    for await (const chunk of chunksOf(file, maxBytes, hash)) parts.push(Buffer.from(chunk));
  } catch (error) {
    if (error instanceof InputTooLarge) return tooLarge(rel, maxBytes);
    return openError(rel, error as NodeJS.ErrnoException);
  } finally {
    await file.handle.close();
  }
  return { bytes: Buffer.concat(parts), sha256: hash.digest("hex") };
}

export function tooLarge(rel: string, maxBytes: number): Refusal {
  return { code: "file-too-large", reason: `${rel} is larger than the limit of ${maxBytes} bytes` };
}
