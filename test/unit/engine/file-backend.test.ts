import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkpointFile, fileBackend, readCheckpointFile, type FileBackend } from "../../../src/engine/file-backend.js";

describe("reading a stack's checkpoint from a file backend's folder", () => {
  let backend: FileBackend;
  const latest = { manifest: { version: "v3.248.0" }, resources: [{ urn: "urn:pulumi:prod::rolecall::pulumi:pulumi:Stack::rolecall-prod", type: "pulumi:pulumi:Stack" }] };
  const write = async (checkpoint: unknown, opts: { md5?: string; layout?: string | null } = {}) => {
    const text = JSON.stringify(checkpoint);
    await mkdir(path.dirname(checkpointFile(backend)), { recursive: true });
    if (opts.layout !== null) await writeFile(path.join(backend.root, ".pulumi", "meta.yaml"), opts.layout ?? "version: 1\n");
    await writeFile(checkpointFile(backend), text);
    await writeFile(`${checkpointFile(backend)}.attrs`, JSON.stringify({ "user.content_type": "text/plain; charset=utf-8", md5: opts.md5 ?? createHash("md5").update(text).digest("base64") }));
  };

  beforeEach(async () => {
    backend = { root: await mkdtemp(path.join(os.tmpdir(), "rolecall-backend-")), project: "rolecall", stack: "prod", literal: true };
  });
  afterEach(async () => rm(backend.root, { recursive: true, force: true }));

  it("gives the deployment `pulumi stack export` gives for a checkpoint the backend wrote", async () => {
    await write({ version: 3, checkpoint: { stack: "organization/rolecall/prod", latest } });
    expect(await readCheckpointFile(backend)).toEqual({ version: 3, deployment: latest });
  });

  it("leaves to the CLI a checkpoint whose content is not what the backend's checksum says", async () => {
    await write({ version: 3, checkpoint: { stack: "organization/rolecall/prod", latest } }, { md5: createHash("md5").update("an earlier checkpoint").digest("base64") });
    expect(await readCheckpointFile(backend)).toBeUndefined();
  });

  it("leaves to the CLI a checkpoint of another stack, an older format, or a stack never updated", async () => {
    for (const checkpoint of [
      { version: 3, checkpoint: { stack: "organization/rolecall/staging", latest } },
      { version: 2, checkpoint: { stack: "organization/rolecall/prod", latest } },
      { version: 3, checkpoint: { stack: "organization/rolecall/prod" } },
    ]) {
      await write(checkpoint);
      expect(await readCheckpointFile(backend)).toBeUndefined();
    }
  });

  it("leaves to the CLI a backend in the legacy layout, and one whose checkpoint may be compressed", async () => {
    await write({ version: 3, checkpoint: { stack: "organization/rolecall/prod", latest } }, { layout: null });
    expect(await readCheckpointFile(backend)).toBeUndefined();
    await write({ version: 3, checkpoint: { stack: "organization/rolecall/prod", latest } }, { layout: "version: 0\n" });
    expect(await readCheckpointFile(backend)).toBeUndefined();
    // The backend reads the newest of plain and compressed: a compressed one beside it may be the current state.
    await write({ version: 3, checkpoint: { stack: "organization/rolecall/prod", latest } });
    await writeFile(`${checkpointFile(backend)}.gz`, "");
    expect(await readCheckpointFile(backend)).toBeUndefined();
  });

  it("leaves to the CLI a folder the engine may name otherwise: relative, in the home folder, or encoded", async () => {
    await write({ version: 3, checkpoint: { stack: "organization/rolecall/prod", latest } });
    for (const url of [`file://${path.relative(process.cwd(), backend.root)}`, "file://~/state", `file://${backend.root}%20`]) {
      const named = fileBackend({ PULUMI_BACKEND_URL: url }, "rolecall", "prod")!;
      expect(await readCheckpointFile(named)).toBeUndefined();
    }
    expect(await readCheckpointFile(fileBackend({ PULUMI_BACKEND_URL: `file://${backend.root}` }, "rolecall", "prod")!)).toBeDefined();
  });

  it("leaves to the CLI a checkpoint without its metadata file, or none at all", async () => {
    expect(await readCheckpointFile(backend)).toBeUndefined();
    await write({ version: 3, checkpoint: { stack: "organization/rolecall/prod", latest } });
    await rm(`${checkpointFile(backend)}.attrs`);
    expect(await readCheckpointFile(backend)).toBeUndefined();
  });
});
