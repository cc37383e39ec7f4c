import type { Deployment, EngineEvent, Stack } from "@pulumi/pulumi/automation/index.js";

/** The parts of a checkpoint resource rolecall reads or sets. */
interface StateResource {
  urn: string;
  type: string;
  protect?: boolean;
  outputs?: Record<string, unknown>;
}

type Checkpoint = { resources?: StateResource[] };

/** The resources of an exported stack. */
export function stateResources(exported: Deployment): StateResource[] {
  return ((exported.deployment as Checkpoint | undefined)?.resources ?? []) as StateResource[];
}

/** The key and value Pulumi marks a secret with in an exported checkpoint; `plaintext` holds its JSON once decrypted. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/**
 * The stack's outputs as its root resource holds them in an export with secrets shown — what
 * `stack output --show-secrets` prints, without two more engine commands.
 */
export function stackOutputs(exported: Deployment): Record<string, unknown> {
  const root = stateResources(exported).find((r) => r.type === "pulumi:pulumi:Stack");
  return Object.fromEntries(Object.entries(root?.outputs ?? {}).map(([key, value]) => [key, revealed(value)]));
}

function revealed(value: unknown): unknown {
  if (typeof value !== "object" || value === null || (value as Record<string, unknown>)[SECRET_SIG] !== SECRET_VALUE) return value;
  const plaintext = (value as { plaintext?: unknown }).plaintext;
  return typeof plaintext === "string" ? JSON.parse(plaintext) : value;
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
  return events.flatMap((e) => {
    const m = e.resourcePreEvent?.metadata;
    if (!m?.old || !m.new || Boolean(m.old.protect) === Boolean(m.new.protect)) return [];
    return [m.urn];
  });
}

/**
 * Edits the stack's checkpoint — only rolecall's own record and protect flags, never a
 * resource's inputs or outputs — by export and import, the Automation API's way of repairing
 * state. Returns whether anything changed (nothing is written otherwise).
 */
export async function editState(stack: Stack, edit: { unprotect?: readonly string[]; record?: { name: string; value: unknown } }): Promise<boolean> {
  const exported = await stack.exportStack();
  const resources = stateResources(exported);
  let changed = false;
  const unprotect = new Set(edit.unprotect ?? []);
  for (const r of resources) {
    if (r.protect && unprotect.has(r.urn)) {
      r.protect = false;
      changed = true;
    }
    if (edit.record && r.type === "pulumi:pulumi:Stack" && JSON.stringify(r.outputs?.[edit.record.name]) !== JSON.stringify(edit.record.value)) {
      r.outputs = { ...(r.outputs ?? {}), [edit.record.name]: edit.record.value };
      changed = true;
    }
  }
  if (changed) await stack.importStack(exported);
  return changed;
}
