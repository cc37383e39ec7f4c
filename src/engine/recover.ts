import { readFileSync } from "node:fs";
import { copyFile, readdir, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Deployment, Stack } from "@pulumi/pulumi/automation/index.js";
import { EnvironmentError } from "./errors.js";
import { backupsDir, checkpointFile, locksDir, type FileBackend } from "./file-backend.js";
import { exportCheckpoint } from "./state-sync.js";

/** What rolecall found left over from an interrupted run and put right, in words for the user. */
export type Recovered = string[];

interface LockContent {
  pid: number;
  username: string;
  hostname: string;
  timestamp: string;
}

/**
 * Removes the stack's locks left by processes that are gone. The file backend's lock names
 * its pid and host (pkg/backend/diy/lock.go); a lock of this host whose pid is dead — or now
 * belongs to something that is not the Pulumi engine — cannot be held by anyone. Locks of
 * other hosts are left alone: their owners may be alive.
 */
export async function releaseStaleLocks(backend: FileBackend, alive: (pid: number) => boolean = isEngineAlive): Promise<Recovered> {
  const dir = locksDir(backend);
  const names = await readdir(dir).catch(() => [] as string[]);
  const recovered: Recovered = [];
  for (const name of names.filter((n) => n.endsWith(".json"))) {
    const file = path.join(dir, name);
    const lock = await readFile(file, "utf8").then((t) => JSON.parse(t) as LockContent, () => undefined);
    if (lock && (lock.hostname !== os.hostname() || !Number.isInteger(lock.pid) || alive(lock.pid))) continue;
    if (!lock && Date.now() - (await stat(file).then((s) => s.mtimeMs, () => Date.now())) < 60_000) continue;
    await rm(file, { force: true });
    await rm(`${file}.attrs`, { force: true });
    recovered.push(lock ? `released the stack's lock left by pid ${lock.pid} (${lock.username}@${lock.hostname}, ${lock.timestamp}), which is no longer running` : `removed an unreadable lock file ${name}`);
  }
  return recovered;
}

/** A pid that is running and is a Pulumi engine (on Linux, by its command line; elsewhere any live pid). */
export function isEngineAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("pulumi");
  } catch {
    return true;
  }
}

/**
 * Checks the stack's checkpoint and its metadata file, and puts back the backend's own
 * backup when either is damaged (an engine killed while writing leaves an empty file, and
 * every later run fails with "EOF"). The backup can be one step behind: the refresh that
 * follows reads the targets, and providers adopt what was created since.
 */
export async function repairCheckpoint(backend: FileBackend): Promise<Recovered> {
  const file = checkpointFile(backend);
  const damage = await checkpointDamage(file);
  if (damage === undefined) return [];
  for (const candidate of await backupsNewestFirst(backend, file)) {
    const present = await stat(candidate).then(() => true, () => false);
    if (!present || (await checkpointDamage(candidate)) !== undefined) continue;
    await copyFile(candidate, file);
    await copyFile(`${candidate}.attrs`, `${file}.attrs`).catch(async () => rm(`${file}.attrs`, { force: true }));
    return [`the stack's checkpoint was damaged (${damage}); restored the backend's backup ${path.relative(backend.root, candidate)}`];
  }
  throw new EnvironmentError(
    `the stack's checkpoint ${file} is damaged (${damage}) and no intact backup was found`,
    "restore the file from your own backup of the state folder, or move it aside to start the stack afresh (rolecall then adopts the accounts it finds by externalId)",
  );
}

/** Why a checkpoint cannot be read, or undefined when it can (a missing one is a new stack). */
async function checkpointDamage(file: string): Promise<string | undefined> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as { checkpoint?: unknown };
    if (!parsed || typeof parsed !== "object" || !("checkpoint" in parsed)) return "not a checkpoint";
  } catch {
    return text.trim() === "" ? "empty file" : "not valid JSON";
  }
  const attrs = await readFile(`${file}.attrs`, "utf8").catch(() => undefined);
  if (attrs === undefined) return undefined;
  try {
    JSON.parse(attrs);
    return undefined;
  } catch {
    return attrs.trim() === "" ? "empty metadata file" : "metadata file not valid JSON";
  }
}

/** The `.bak` beside the checkpoint, then the backups folder, newest first. */
async function backupsNewestFirst(backend: FileBackend, file: string): Promise<string[]> {
  const dir = backupsDir(backend);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(".json"));
  const dated = await Promise.all(names.map(async (n) => ({ file: path.join(dir, n), at: (await stat(path.join(dir, n))).mtimeMs })));
  return [`${file}.bak`, ...dated.sort((a, b) => b.at - a.at).map((d) => d.file)];
}

/** One operation an interrupted update left in the checkpoint. */
export interface PendingOperation {
  urn: string;
  type: string;
}

/** The pending operations in the stack's checkpoint (any backend). */
export async function pendingOperations(stack: Stack): Promise<PendingOperation[]> {
  return pendingIn(await exportCheckpoint(stack));
}

/** The pending operations in an exported checkpoint. */
export function pendingIn(exported: Deployment): PendingOperation[] {
  const deployment = exported.deployment as { pending_operations?: { type: string; resource: { urn: string } }[] } | undefined;
  return (deployment?.pending_operations ?? []).map((op) => ({ urn: op.resource.urn, type: op.type }));
}

/** The engine's words when a checkpoint fails its integrity check (sdk/go/common/snapshot/integrity.go). */
const INTEGRITY = /snapshot integrity/i;

/** Whether an engine failure is a checkpoint that fails its integrity check. */
export function isIntegrityFailure(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message}\n${(error as { causes?: string[] }).causes?.join("\n") ?? ""}` : String(error);
  return INTEGRITY.test(text);
}

/**
 * Repairs a checkpoint that fails its integrity check with the engine's own `pulumi state
 * repair` (it drops references to resources that are gone and re-sorts the rest). Such
 * checkpoints come from engine defects — `--continue-on-error` deleting a resource that a
 * skipped update still references (pulumi/pulumi#16720) — and otherwise block every run.
 */
export async function repairIntegrity(stack: Stack): Promise<Recovered> {
  const ws = stack.workspace as unknown as { workDir: string; envVars: Record<string, string>; pulumiCommand: { run: (args: string[], cwd: string, env: Record<string, string>) => Promise<unknown> } };
  await ws.pulumiCommand.run(["state", "repair", "--yes", "--stack", stack.name, "--non-interactive"], ws.workDir, { ...ws.envVars, PULUMI_SKIP_UPDATE_CHECK: "true" });
  return ["the stack's checkpoint failed the engine's integrity check (left by an engine defect under continue-on-error); repaired it with `pulumi state repair`"];
}
