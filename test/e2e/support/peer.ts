import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { startScim2Server, type RunningPeer } from "../../support/scim2-server.js";
import { TempProject } from "./project.js";

/**
 * A fresh scim2-server (the independent peer) and a project whose `peer` stack provisions into
 * it, with its state in a file backend of its own inside the project: the setup every e2e file
 * against the peer shares. `stop` ends both.
 */
export async function startPeerProject(bin: string): Promise<{ peer: RunningPeer; project: TempProject; stop(): Promise<void> }> {
  const peer = await startScim2Server(bin);
  const project = await TempProject.create({ ROLECALL_SCIM_TOKEN: peer.token, PULUMI_CONFIG_PASSPHRASE: "e2e-only" });
  project.env.PULUMI_BACKEND_URL = `file://${path.join(project.dir, "peer-state")}`;
  await mkdir(path.join(project.dir, "peer-state"));
  await writeFile(path.join(project.dir, "stacks", "Pulumi.peer.yaml"), `config:\n  rolecall:targets:\n    scim:\n      endpoint: ${peer.url}\n`);
  return {
    peer,
    project,
    stop: async () => {
      await peer.stop();
      await project.remove();
    },
  };
}
