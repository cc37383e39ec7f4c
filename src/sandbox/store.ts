import { mkdir } from "node:fs/promises";
import { readTextIfExists, writeFileAtomic } from "./files.js";
import { sandboxPaths } from "./paths.js";
import { SerialQueue } from "./queue.js";

export interface ResourceMeta {
  created: string;
  lastModified: string;
  /** Bumped on every change that alters the resource; served as the weak ETag W/"<version>". */
  version: number;
}

/** Everything scimmy accepted for a user (core + enterprise extension), minus id, meta and schemas. */
export interface UserAttributes {
  userName: string;
  externalId?: string;
  active?: boolean;
  [attribute: string]: unknown;
}

export interface GroupAttributes {
  displayName: string;
  externalId?: string;
  [attribute: string]: unknown;
}

export interface StoredUser {
  id: string;
  meta: ResourceMeta;
  attributes: UserAttributes;
}

export interface StoredGroup {
  id: string;
  meta: ResourceMeta;
  attributes: GroupAttributes;
  /** Member user ids; display names are resolved on the way out so a rename never goes stale. */
  members: string[];
}

export interface SandboxData {
  format: 1;
  users: StoredUser[];
  groups: StoredGroup[];
}

export function emptySandboxData(): SandboxData {
  return { format: 1, users: [], groups: [] };
}

/** The persisted data, or an empty directory when the sandbox has never written any. */
export async function readSandboxData(dir: string): Promise<SandboxData> {
  const file = sandboxPaths(dir).data;
  const text = await readTextIfExists(file);
  if (text === undefined) return emptySandboxData();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${file} is not valid JSON (${(error as Error).message}); run \`rolecall sandbox reset\` to start empty`,
    );
  }
  if (!isSandboxData(data)) {
    throw new Error(`${file} is not a rolecall sandbox data file; run \`rolecall sandbox reset\` to start empty`);
  }
  return data;
}

function isSandboxData(value: unknown): value is SandboxData {
  const data = value as Partial<SandboxData> | null;
  return data?.format === 1 && Array.isArray(data.users) && Array.isArray(data.groups);
}

/**
 * The sandbox's users and groups, persisted to `<dir>/sandbox.json`.
 *
 * Mutations run one at a time through a queue, each on a private copy of the data that becomes
 * the visible state only once it is safely on disk. So readers never see a change that a crash
 * could still lose, and a mutation that throws leaves nothing behind.
 */
export class SandboxStore {
  readonly #dir: string;
  readonly #queue = new SerialQueue();
  #data: SandboxData;

  private constructor(dir: string, data: SandboxData) {
    this.#dir = dir;
    this.#data = data;
  }

  static async open(dir: string): Promise<SandboxStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new SandboxStore(dir, await readSandboxData(dir));
  }

  /** The committed state. Callers must not modify it; use mutate(). */
  get data(): SandboxData {
    return this.#data;
  }

  /** `change` edits the draft synchronously, so nothing else can interleave with it. */
  mutate<T>(change: (draft: SandboxData) => T): Promise<T> {
    return this.#queue.run(async () => {
      const draft = structuredClone(this.#data);
      const result = change(draft);
      await writeSandboxData(this.#dir, draft);
      this.#data = draft;
      return result;
    });
  }
}

export async function writeSandboxData(dir: string, data: SandboxData): Promise<void> {
  await writeFileAtomic(sandboxPaths(dir).data, `${JSON.stringify(data, null, 2)}\n`);
}
