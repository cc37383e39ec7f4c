import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import Database from "better-sqlite3";
import { sandboxPaths } from "./paths.js";

export type Kind = "User" | "Group";
type Json = Record<string, unknown>;

/** One user or group as stored: its attributes (without id, meta and group members) in `body`. */
export interface StoredResource {
  kind: Kind;
  id: string;
  /** userName or displayName, lower-cased: both are unique whatever their case. */
  nameKey: string;
  externalId: string | null;
  created: string;
  lastModified: string;
  /** Bumped on every change; served as the ETag W/"<version>". */
  version: number;
  body: Json;
}

/** A group member as the client gave it; display and $ref only when the client sent them. */
export interface StoredMember {
  userId: string;
  userName: string;
  display: string | null;
  ref: string | null;
}

const SCHEMA_VERSION = 1;

const DDL = `
CREATE TABLE IF NOT EXISTS resources (
  seq INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('User', 'Group')),
  id TEXT NOT NULL UNIQUE,
  name_key TEXT NOT NULL,
  external_id TEXT,
  created TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (kind, name_key)
);
CREATE INDEX IF NOT EXISTS resources_external_id ON resources (kind, external_id);
CREATE INDEX IF NOT EXISTS resources_kind_seq ON resources (kind, seq);
CREATE TABLE IF NOT EXISTS members (
  seq INTEGER PRIMARY KEY,
  group_id TEXT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
  display TEXT,
  ref TEXT,
  UNIQUE (group_id, user_id)
);
CREATE INDEX IF NOT EXISTS members_user ON members (user_id);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

interface Row {
  kind: Kind;
  id: string;
  name_key: string;
  external_id: string | null;
  created: string;
  last_modified: string;
  version: number;
  body: string;
}

/**
 * The sandbox's users, groups and memberships in SQLite (`<dir>/sandbox.db`), one transaction per
 * request. Write-ahead logging with synchronous=NORMAL: a committed transaction is in the WAL
 * before the client is answered, so killing the process loses nothing acknowledged; only a
 * power loss can drop the last commits, and never corrupts the file. Every lookup a write needs
 * (id, userName, externalId, displayName, a user's groups) is an index probe.
 */
export class SandboxStore {
  readonly #db: Database.Database;
  readonly #statements: ReturnType<typeof prepare>;

  private constructor(db: Database.Database) {
    this.#db = db;
    this.#statements = prepare(db);
  }

  static open(dir: string): SandboxStore {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = sandboxPaths(dir).db;
    // Created private before SQLite opens it; its -wal and -shm files take the same mode.
    closeSync(openSync(file, "a", 0o600));
    chmodSync(file, 0o600);
    const db = new Database(file);
    try {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      db.pragma("foreign_keys = ON");
      db.pragma("busy_timeout = 10000");
      const version = db.pragma("user_version", { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new Error(`${sandboxPaths(dir).db} was written by a newer rolecall (format ${version}); upgrade rolecall`);
      }
      db.exec(DDL);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
      return new SandboxStore(db);
    } catch (error) {
      db.close();
      if (error instanceof Database.SqliteError) {
        throw new Error(`${file} cannot be read (${error.message}); run \`rolecall sandbox reset\` to start empty`);
      }
      throw error;
    }
  }

  close(): void {
    this.#db.close();
  }

  /** Runs `work` as one transaction: everything it wrote, or (when it throws) nothing. */
  transaction<T>(work: () => T): T {
    return this.#db.transaction(work).immediate();
  }

  get(kind: Kind, id: string): StoredResource | undefined {
    return fromRow(this.#statements.get.get(kind, id) as Row | undefined);
  }

  byName(kind: Kind, nameKey: string): StoredResource | undefined {
    return fromRow(this.#statements.byName.get(kind, nameKey) as Row | undefined);
  }

  byExternalId(kind: Kind, externalId: string): StoredResource[] {
    return (this.#statements.byExternalId.all(kind, externalId) as Row[]).map((row) => fromRow(row)!);
  }

  count(kind: Kind): number {
    return (this.#statements.count.get(kind) as { n: number }).n;
  }

  /** Resources in creation order, `limit` from `offset`. */
  page(kind: Kind, offset: number, limit: number): StoredResource[] {
    return (this.#statements.page.all(kind, limit, offset) as Row[]).map((row) => fromRow(row)!);
  }

  *scan(kind: Kind): Generator<StoredResource> {
    for (const row of this.#statements.scan.iterate(kind) as IterableIterator<Row>) yield fromRow(row)!;
  }

  insert(resource: StoredResource): void {
    this.#statements.insert.run(toRow(resource));
  }

  update(resource: StoredResource): void {
    this.#statements.update.run(toRow(resource));
  }

  delete(id: string): void {
    this.#statements.delete.run(id);
  }

  members(groupId: string): StoredMember[] {
    return this.#statements.members.all(groupId) as StoredMember[];
  }

  /** A group's member ids alone: what a PATCH of members needs, without a read of each member's user. */
  memberIds(groupId: string): string[] {
    return this.#statements.memberIds.all(groupId) as string[];
  }

  /** The groups a user is a member of, by id, with their displayName. */
  groupsOf(userId: string): { id: string; displayName: string }[] {
    return this.#statements.groupsOf.all(userId) as { id: string; displayName: string }[];
  }

  groupsWithMember(userId: string): StoredResource[] {
    return (this.#statements.groupsWithMember.all(userId) as Row[]).map((row) => fromRow(row)!);
  }

  addMember(groupId: string, member: Omit<StoredMember, "userName">): void {
    this.#statements.addMember.run(groupId, member.userId, member.display, member.ref);
  }

  removeMember(groupId: string, userId: string): void {
    this.#statements.removeMember.run(groupId, userId);
  }

  reset(): void {
    this.transaction(() => this.#db.exec("DELETE FROM members; DELETE FROM resources;"));
  }

  getSetting(key: string): string | undefined {
    return (this.#statements.getSetting.get(key) as { value: string } | undefined)?.value;
  }

  setSetting(key: string, value: string): void {
    this.#statements.setSetting.run(key, value);
  }
}

function prepare(db: Database.Database) {
  const columns = "kind, id, name_key, external_id, created, last_modified, version, body";
  return {
    get: db.prepare(`SELECT ${columns} FROM resources WHERE kind = ? AND id = ?`),
    byName: db.prepare(`SELECT ${columns} FROM resources WHERE kind = ? AND name_key = ?`),
    byExternalId: db.prepare(`SELECT ${columns} FROM resources WHERE kind = ? AND external_id = ? ORDER BY seq`),
    count: db.prepare("SELECT count(*) AS n FROM resources WHERE kind = ?"),
    page: db.prepare(`SELECT ${columns} FROM resources WHERE kind = ? ORDER BY seq LIMIT ? OFFSET ?`),
    scan: db.prepare(`SELECT ${columns} FROM resources WHERE kind = ? ORDER BY seq`),
    insert: db.prepare(
      `INSERT INTO resources (${columns}) VALUES (@kind, @id, @name_key, @external_id, @created, @last_modified, @version, @body)`,
    ),
    update: db.prepare(
      "UPDATE resources SET name_key = @name_key, external_id = @external_id, last_modified = @last_modified, version = @version, body = @body WHERE kind = @kind AND id = @id",
    ),
    delete: db.prepare("DELETE FROM resources WHERE id = ?"),
    members: db.prepare(
      "SELECT m.user_id AS userId, json_extract(u.body, '$.userName') AS userName, m.display, m.ref FROM members m JOIN resources u ON u.id = m.user_id WHERE m.group_id = ? ORDER BY m.seq",
    ),
    memberIds: db.prepare("SELECT user_id FROM members WHERE group_id = ? ORDER BY seq").pluck(),
    groupsOf: db.prepare(
      "SELECT g.id, json_extract(g.body, '$.displayName') AS displayName FROM members m JOIN resources g ON g.id = m.group_id WHERE m.user_id = ? ORDER BY g.seq",
    ),
    groupsWithMember: db.prepare(
      `SELECT ${columns.split(", ").map((column) => `g.${column}`).join(", ")} FROM members m JOIN resources g ON g.id = m.group_id WHERE m.user_id = ?`,
    ),
    addMember: db.prepare("INSERT INTO members (group_id, user_id, display, ref) VALUES (?, ?, ?, ?)"),
    removeMember: db.prepare("DELETE FROM members WHERE group_id = ? AND user_id = ?"),
    getSetting: db.prepare("SELECT value FROM settings WHERE key = ?"),
    setSetting: db.prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
  };
}

function fromRow(row: Row | undefined): StoredResource | undefined {
  if (!row) return undefined;
  return {
    kind: row.kind,
    id: row.id,
    nameKey: row.name_key,
    externalId: row.external_id,
    created: row.created,
    lastModified: row.last_modified,
    version: row.version,
    body: JSON.parse(row.body) as Json,
  };
}

function toRow(resource: StoredResource): Row {
  return {
    kind: resource.kind,
    id: resource.id,
    name_key: resource.nameKey,
    external_id: resource.externalId,
    created: resource.created,
    last_modified: resource.lastModified,
    version: resource.version,
    body: JSON.stringify(resource.body),
  };
}
