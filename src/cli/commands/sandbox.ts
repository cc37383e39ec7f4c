import path from "node:path";
import { rolecallDir } from "../../engine/workspace.js";
import { listSandbox, resetSandbox, sandboxStatus, startSandboxDaemon, stopSandboxDaemon } from "../../sandbox/daemon.js";
import { findProjectDir, sandboxPort } from "../context.js";

async function sandboxDir(): Promise<string> {
  return path.join(rolecallDir(await findProjectDir()), "sandbox");
}

export async function sandboxStart(): Promise<void> {
  const { url, pid } = await startSandboxDaemon(await sandboxDir(), { port: sandboxPort() });
  process.stdout.write(`sandbox running at ${url} (pid ${pid}); token in .rolecall/sandbox/token\n`);
}

export async function sandboxStop(): Promise<void> {
  const dir = await sandboxDir();
  const { running } = await sandboxStatus(dir);
  await stopSandboxDaemon(dir);
  process.stdout.write(running ? "sandbox stopped\n" : "sandbox was not running\n");
}

export async function sandboxReset(): Promise<void> {
  await resetSandbox(await sandboxDir());
  process.stdout.write("sandbox emptied\n");
}

export async function sandboxLs(opts: { json?: boolean }): Promise<void> {
  const listing = await listSandbox(await sandboxDir());
  if (opts.json) {
    process.stdout.write(JSON.stringify(listing, null, 2) + "\n");
    return;
  }
  process.stdout.write(`${listing.users.length} users, ${listing.groups.length} groups\n`);
  for (const u of listing.users) process.stdout.write(`  ${u.active ? " " : "!"} ${u.userName}  (${u.externalId ?? "no externalId"})${u.active ? "" : " inactive"}\n`);
  for (const g of listing.groups) process.stdout.write(`  ${g.displayName}: ${g.members.length} members\n`);
}
