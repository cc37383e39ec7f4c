import { createWriteStream } from "node:fs";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { jsonChunks } from "../evidence/json-chunks.js";

/** Writes a value as indented JSON (and a newline) to a file, or to stdout for "-". */
export async function writeJson(value: unknown, out: string): Promise<void> {
  const stream: Writable = out === "-" ? process.stdout : createWriteStream(out);
  for (const chunk of jsonChunks(value)) {
    if (!stream.write(chunk)) await once(stream, "drain");
  }
  stream.write("\n");
  if (out !== "-") {
    stream.end();
    await once(stream, "finish");
  }
}
