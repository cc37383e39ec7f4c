import { rename } from "node:fs/promises";
import { readTextIfExists } from "./files.js";
import { sandboxPaths } from "./paths.js";
import { ScimError } from "./scim/errors.js";
import { isRecord } from "./scim/paths.js";
import { groupKind, userKind, type ResourceKind } from "./scim/schema.js";
import { normalizeResource } from "./scim/validate.js";
import type { Kind, SandboxStore, StoredResource } from "./store.js";

const MIGRATED = "migrated-from";

interface LegacyRecord {
  id: string;
  meta: { created: string; lastModified: string; version: number };
  attributes: Record<string, unknown>;
  members?: string[];
}

/**
 * Moves the data of a sandbox from before the SQLite store (`sandbox.json`, format 1) into the
 * store, once, keeping ids, versions and timestamps, then renames the file to
 * `sandbox.json.migrated`. The import and its marker commit together, so a crash before the
 * rename only leaves the rename to do. A file that cannot be read whole is refused, never
 * partly imported.
 */
export async function migrateLegacyData(store: SandboxStore, dir: string): Promise<void> {
  const file = sandboxPaths(dir).legacyData;
  const text = await readTextIfExists(file);
  if (text === undefined) return;
  if (store.getSetting(MIGRATED) !== file) {
    if (store.count("User") + store.count("Group") > 0) {
      throw new Error(`${file} is left from an older sandbox but ${sandboxPaths(dir).db} already holds data; move one of them away`);
    }
    const legacy = parse(file, text);
    store.transaction(() => {
      for (const user of legacy.users) store.insert(imported(file, userKind, "User", user, "userName"));
      for (const group of legacy.groups) {
        store.insert(imported(file, groupKind, "Group", group, "displayName"));
        for (const userId of new Set(group.members ?? [])) store.addMember(group.id, { userId, display: null, ref: null });
      }
      store.setSetting(MIGRATED, file);
    });
  }
  await rename(file, `${file}.migrated`);
}

function parse(file: string, text: string): { users: LegacyRecord[]; groups: LegacyRecord[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); run \`rolecall sandbox reset\` to start empty`);
  }
  if (!isRecord(data) || data["format"] !== 1 || !Array.isArray(data["users"]) || !Array.isArray(data["groups"])) {
    throw new Error(`${file} is not a rolecall sandbox data file; run \`rolecall sandbox reset\` to start empty`);
  }
  const records = [...data["users"], ...data["groups"]] as unknown[];
  if (!records.every(isLegacyRecord)) throw new Error(`${file} has a record without id, meta or attributes; run \`rolecall sandbox reset\` to start empty`);
  return { users: data["users"] as LegacyRecord[], groups: data["groups"] as LegacyRecord[] };
}

function isLegacyRecord(value: unknown): value is LegacyRecord {
  return isRecord(value) && typeof value["id"] === "string" && isRecord(value["meta"]) && isRecord(value["attributes"]);
}

function imported(file: string, kind: ResourceKind, name: Kind, record: LegacyRecord, key: string): StoredResource {
  let body: Record<string, unknown>;
  try {
    body = normalizeResource(kind, record.attributes);
  } catch (error) {
    const detail = error instanceof ScimError ? error.message : String(error);
    throw new Error(`${file}: ${name} ${record.id} cannot be migrated (${detail}); fix it in the file or run \`rolecall sandbox reset\``);
  }
  return {
    kind: name,
    id: record.id,
    nameKey: String(body[key]).toLowerCase(),
    externalId: typeof body["externalId"] === "string" ? body["externalId"] : null,
    created: record.meta.created,
    lastModified: record.meta.lastModified,
    version: Number.isSafeInteger(record.meta.version) ? record.meta.version : 1,
    body,
  };
}
