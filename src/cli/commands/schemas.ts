import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { desiredStateJsonSchemas, formatJsonSchema } from "../../model/json-schemas.js";
import { RefusedError } from "../context.js";

/**
 * `rolecall schemas [--out schemas] [--check]`: writes the JSON Schemas of the desired-state
 * files (generated from the zod schemas) so editors validate as you type. `--check` writes
 * nothing and exits 1 when the folder is out of date — for CI.
 */
export async function schemasCommand(opts: { out: string; check?: boolean }): Promise<void> {
  const schemas = desiredStateJsonSchemas();
  if (opts.check) {
    const stale: string[] = [];
    for (const [name, schema] of Object.entries(schemas)) {
      const current = await readFile(path.join(opts.out, name), "utf8").catch(() => undefined);
      if (current !== formatJsonSchema(schema)) stale.push(name);
    }
    const extra = (await readdir(opts.out).catch(() => [] as string[])).filter((n) => n.endsWith(".schema.json") && !(n in schemas));
    if (stale.length > 0 || extra.length > 0) {
      const what = [...stale.map((n) => `${n} is out of date`), ...extra.map((n) => `${n} has no zod schema`)].join("; ");
      throw new RefusedError(`${opts.out}: ${what}; run rolecall schemas --out ${opts.out}`);
    }
    process.stdout.write(`${opts.out}: ${Object.keys(schemas).length} schemas up to date\n`);
    return;
  }
  await mkdir(opts.out, { recursive: true });
  for (const [name, schema] of Object.entries(schemas)) {
    await writeFile(path.join(opts.out, name), formatJsonSchema(schema));
    process.stdout.write(`wrote ${path.join(opts.out, name)}\n`);
  }
}
