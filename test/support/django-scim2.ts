import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ensureVenv } from "./python-venv.js";
import { freePort, type RunningPeer } from "./scim2-server.js";

/**
 * A second independent SCIM 2.0 server: django-scim2 (PyPI, 15five), served by the smallest
 * Django project that can host it (`django_scim2_peer/`: settings, a user and a group model
 * with its mixins, a bearer-token check). Pinned with the Django it runs on.
 */
const REQUIREMENTS = ["django-scim2==0.23.0", "django==5.2.19"];
const PROJECT = fileURLToPath(new URL("./django_scim2_peer", import.meta.url));

/** Installs django-scim2 into a virtualenv in the tool cache (outside the clone), once. */
export async function ensureDjangoScim2(log: (line: string) => void): Promise<string> {
  return path.join(await ensureVenv("django-scim2-0.23.0-django-5.2.19", REQUIREMENTS, log), "bin", "python");
}

/** Starts django-scim2 on a free loopback port with a fresh database and a bearer token; waits until it answers. */
export async function startDjangoScim2(python: string): Promise<RunningPeer> {
  const port = await freePort();
  const token = `django-${port}-${Math.random().toString(36).slice(2)}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), "rolecall-django-scim2-"));
  const env = {
    ...process.env,
    PYTHONPATH: PROJECT,
    PYTHONDONTWRITEBYTECODE: "1",
    DJANGO_SETTINGS_MODULE: "peer.settings",
    PEER_DB: path.join(dir, "peer.sqlite3"),
    PEER_PORT: String(port),
    PEER_TOKEN: token,
  };
  await promisify(execFile)(python, ["-m", "django", "migrate", "--run-syncdb", "--verbosity", "0"], { env });
  const child: ChildProcess = spawn(python, ["-m", "django", "runserver", `127.0.0.1:${port}`, "--noreload"], { env, stdio: "ignore" });
  const url = `http://127.0.0.1:${port}/scim/v2`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let i = 0; ; i++) {
    const ok = await fetch(`${url}/ServiceProviderConfig`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.ok, () => false);
    if (ok) break;
    if (i >= 600 || child.exitCode !== null) {
      child.kill("SIGTERM");
      await rm(dir, { recursive: true, force: true });
      throw new Error(`django-scim2 did not answer on ${url}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    token,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
