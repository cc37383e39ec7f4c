import { join } from "node:path";

/** The files a sandbox keeps under its data directory. */
export function sandboxPaths(dir: string) {
  return {
    db: join(dir, "sandbox.db"),
    /** Where sandboxes before the SQLite store kept their data; migrated on first open. */
    legacyData: join(dir, "sandbox.json"),
    token: join(dir, "token"),
    pid: join(dir, "sandbox.pid"),
    endpoint: join(dir, "endpoint.json"),
    log: join(dir, "sandbox.log"),
  };
}
