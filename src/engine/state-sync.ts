import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { isDeepStrictEqual, promisify } from "node:util";
import { gunzipSync, gzipSync } from "node:zlib";
import type { Deployment, EngineEvent, LocalWorkspace, Stack } from "@pulumi/pulumi/automation/index.js";
import { fileBackend, readCheckpointFile } from "./file-backend.js";

/** The parts of a checkpoint resource rolecall reads or sets. */
export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  parent?: string;
  provider?: string;
  protect?: boolean;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  deletedWith?: string;
  replaceWith?: string[];
  viewOf?: string;
  taint?: boolean;
  delete?: boolean;
  pendingReplacement?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

type Checkpoint = { resources?: StateResource[] };

/** A resource's own name (worker ID, catalog key) from its URN. */
export function urnName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** The resources of an exported stack. */
export function stateResources(exported: Deployment): StateResource[] {
  return ((exported.deployment as Checkpoint | undefined)?.resources ?? []) as StateResource[];
}

/** The stack output holding rolecall's record of what the stack holds (targets/record.ts). */
export const RECORD_OUTPUT = "rolecall";

/** How a compressed record's text begins: gzip, then base64, of the record's JSON. */
const COMPRESSED = "gzip+base64:";

/** Far above any record (10 MB of JSON at 10,000 people): a corrupt or hostile state cannot make a decompression that fills memory. */
const MAX_RECORD_BYTES = 1 << 30;

/**
 * The record as the stack output keeps it: one string, its JSON compressed. As an object it was
 * ~590,000 values at 10,000 people, and every engine command paid for each of them — the SDK's
 * protobuf encoding (hundreds of MB in flight), the engine's copies into events and checkpoints,
 * and the program's decoding of those events — though no engine step ever looks inside it. As
 * JSON text it was still 10.7 MB of the 51 MB state, carried by every export, import and event
 * of the root stack; compressed it is 2 MB. `rolecall` reads it back; by hand:
 * `pulumi stack output rolecall | cut -d: -f2 | base64 -d | gunzip`.
 */
export function encodeRecord(record: unknown): string {
  return COMPRESSED + gzipSync(JSON.stringify(record)).toString("base64");
}

/**
 * The record from its stack output: compressed, plain JSON text or an object (as records
 * written before were); anything that does not decode stays as it is, for the reader to refuse.
 */
export function decodeRecord(stored: unknown): unknown {
  if (typeof stored !== "string") return stored;
  try {
    const text = stored.startsWith(COMPRESSED) ? gunzipSync(Buffer.from(stored.slice(COMPRESSED.length), "base64"), { maxOutputLength: MAX_RECORD_BYTES }).toString("utf8") : stored;
    return JSON.parse(text) as unknown;
  } catch {
    return stored;
  }
}

/** The stack's outputs as its root resource holds them in the checkpoint (secrets stay encrypted), the record decoded. */
export function stackOutputs(exported: Deployment): Record<string, unknown> {
  const outputs = stateResources(exported).find((r) => r.type === "pulumi:pulumi:Stack")?.outputs ?? {};
  return RECORD_OUTPUT in outputs ? { ...outputs, [RECORD_OUTPUT]: decodeRecord(outputs[RECORD_OUTPUT]) } : outputs;
}

/**
 * The stack's checkpoint: from a file backend's own file where it can be read as the engine
 * would read it (file-backend.ts), otherwise exported by the CLI to a private file. The
 * Automation API's exportStack reads the whole state from the CLI's stdout, which the library
 * running the CLI caps at 100 MB, and decrypts every secret on the way; rolecall reads outputs,
 * pending operations and protect flags, none of them secret, so secrets stay encrypted here.
 */
export async function exportCheckpoint(stack: Stack): Promise<Deployment> {
  const workspace = stack.workspace as LocalWorkspace;
  const backend = fileBackend(workspace.envVars, (await workspace.projectSettings()).name, stack.name);
  const read = backend ? await readCheckpointFile(backend) : undefined;
  if (read) return read;
  return withPrivateFile(async (file) => {
    await runCli(stack, ["stack", "export", "--file", file, "--stack", stack.name]);
    return JSON.parse(await readFile(file, "utf8")) as Deployment;
  });
}

/**
 * Writes a checkpoint back (secrets as exported, still encrypted) from a private file — the
 * Automation API's importStack leaves the state in a world-readable file in the temp folder.
 */
export async function importCheckpoint(stack: Stack, state: Deployment): Promise<void> {
  await withPrivateFile(async (file) => {
    await writeFile(file, JSON.stringify(state), { mode: 0o600 });
    await runCli(stack, ["stack", "import", "--file", file, "--stack", stack.name]);
  });
}

/** One CLI command in the stack's workspace; a failure carries its output as the Automation API's errors do. */
async function runCli(stack: Stack, args: string[]): Promise<void> {
  const workspace = stack.workspace as LocalWorkspace;
  const env = { ...process.env, ...(workspace.pulumiHome ? { PULUMI_HOME: workspace.pulumiHome } : {}), ...workspace.envVars, PULUMI_SKIP_UPDATE_CHECK: "true" };
  try {
    await promisify(execFile)(workspace.pulumiCommand.command, [...args, "--non-interactive"], { cwd: workspace.workDir, env });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: number | string };
    throw Object.assign(new Error(`pulumi ${args.slice(0, 2).join(" ")} failed`), {
      commandResult: { stdout: failed.stdout ?? "", stderr: failed.stderr ?? "", code: typeof failed.code === "number" ? failed.code : -2 },
    });
  }
}

async function withPrivateFile<T>(use: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "rolecall-state-"));
  try {
    return await use(path.join(dir, "checkpoint.json"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The identity a resource belongs to: its name, or for per-holder resources named
 * `<item>/<holder>` (Entra role assignments) the holder.
 */
export function ownerOf(urn: string): string {
  const name = urn.split("::").slice(3).join("::");
  return name.slice(name.lastIndexOf("/") + 1);
}

/**
 * Resources the state protects though policy no longer does: the identity they belong to is
 * one rolecall manages (`identities`) and is not in policy's protected list. A reviewed change
 * took them off the list, so the apply unprotects them before the update that deletes or
 * disables them — no `pulumi state unprotect` by hand. Protection someone set on anything
 * else (a group, say) is left alone.
 */
export function toUnprotect(resources: readonly StateResource[], protectedIds: ReadonlySet<string>, identities: ReadonlySet<string>): string[] {
  return resources.filter((r) => r.protect && identities.has(ownerOf(r.urn)) && !protectedIds.has(ownerOf(r.urn))).map((r) => r.urn);
}

/**
 * Resources whose protection the program changes while nothing else about them changes: the
 * engine writes the new flag only during an update, so apply runs one for these too.
 */
export function protectChanges(events: readonly EngineEvent[]): string[] {
  return events.flatMap((e) => protectChangeOf(e) ?? []);
}

/** The resource whose protection this event's step changes, if it does. */
export function protectChangeOf(e: EngineEvent): string | undefined {
  const m = e.resourcePreEvent?.metadata;
  if (!m?.old || !m.new || Boolean(m.old.protect) === Boolean(m.new.protect)) return undefined;
  return m.urn;
}

/**
 * What rolecall may change in a checkpoint: its own record and protect flags, and the order of
 * resources, never a resource's inputs or outputs.
 */
export interface StateEdit {
  unprotect?: readonly string[];
  record?: unknown;
  /** The targets' account types: when the checkpoint is written anyway, accounts go first (accountsFirst). */
  accountsFirst?: ReadonlySet<string>;
}

/**
 * Applies an edit to an exported checkpoint in place; returns whether anything changed. The
 * record is compared as JSON data, not as text: a record stored as an object (before it was one
 * string) comes back with its keys in the backend's order, and an equal record is no change.
 */
export function applyStateEdit(exported: Deployment, edit: StateEdit): boolean {
  let changed = false;
  const unprotect = new Set(edit.unprotect ?? []);
  const record = edit.record === undefined ? undefined : encodeRecord(edit.record);
  for (const r of stateResources(exported)) {
    if (r.protect && unprotect.has(r.urn)) {
      r.protect = false;
      changed = true;
    }
    const stored = r.outputs?.[RECORD_OUTPUT];
    // The same text is the same record: the data comparison, megabytes at 10,000 people, is for text that differs.
    if (record !== undefined && r.type === "pulumi:pulumi:Stack" && stored !== record && !isDeepStrictEqual(decodeRecord(stored), decodeRecord(record))) {
      r.outputs = { ...(r.outputs ?? {}), [RECORD_OUTPUT]: record };
      changed = true;
    }
  }
  const ordered = changed && edit.accountsFirst ? accountsFirst(stateResources(exported), edit.accountsFirst) : undefined;
  if (ordered) (exported.deployment as Checkpoint).resources = ordered;
  return changed;
}

/**
 * The resources with every account, and what an account needs before it (its stack, component,
 * provider, a manager), ahead of everything else, each part in its order before; undefined when
 * that is the order already, or when a URN is there twice (a replacement pending deletion),
 * whose order is the engine's to keep. A targeted run makes the engine walk, for each resource
 * it targets, every resource after it in the checkpoint (its dependents, pkg/resource/graph),
 * and a targeted update writes the resources it stepped first: the groups every change run
 * touches then lead the next one's walks through the whole state. With them last, a preview
 * of 100 leavers among 10,000 people took 2.5 s less (bench/apply/RESULTS.md).
 */
export function accountsFirst(resources: readonly StateResource[], accountTypes: ReadonlySet<string>): StateResource[] | undefined {
  const byUrn = new Map<string, StateResource>();
  for (const r of resources) {
    if (byUrn.has(r.urn)) return undefined;
    byUrn.set(r.urn, r);
  }
  const placed = new Set<string>();
  const ordered: StateResource[] = [];
  // Depth first, each resource after what it needs; a loop, not recursion: a chain of what an
  // account needs thousands deep must not overflow the stack once an update has succeeded.
  const place = (root: StateResource) => {
    if (placed.has(root.urn)) return;
    placed.add(root.urn);
    const path = [{ r: root, needs: prerequisites(root), next: 0 }];
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      if (top.next === top.needs.length) {
        ordered.push(top.r);
        path.pop();
        continue;
      }
      const before = byUrn.get(top.needs[top.next++]!);
      if (before && !placed.has(before.urn)) {
        placed.add(before.urn);
        path.push({ r: before, needs: prerequisites(before), next: 0 });
      }
    }
  };
  for (const r of resources) if (accountTypes.has(r.type)) place(r);
  for (const r of resources) place(r);
  return ordered.every((r, i) => r === resources[i]) ? undefined : ordered;
}

/**
 * What must come before a resource in a checkpoint (the engine's integrity check, and every
 * other resource a v3 checkpoint resource names): its parent, provider, dependencies, and the
 * resources it is deleted with, replaced with or a view of.
 */
function prerequisites(r: StateResource): string[] {
  const provider = r.provider ? [r.provider.slice(0, r.provider.lastIndexOf("::"))] : [];
  const single = [r.parent, r.deletedWith, r.viewOf].filter((u): u is string => u !== undefined && u !== "");
  return [...single, ...provider, ...(r.dependencies ?? []), ...Object.values(r.propertyDependencies ?? {}).flat(), ...(r.replaceWith ?? [])];
}

/** Edits the stack's checkpoint by export and import, the Automation API's way of repairing state; nothing is written when nothing changes. */
export async function editState(stack: Stack, edit: StateEdit): Promise<boolean> {
  const exported = await exportCheckpoint(stack);
  const changed = applyStateEdit(exported, edit);
  if (changed) await importCheckpoint(stack, exported);
  return changed;
}
