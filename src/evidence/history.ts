import { access, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { indexProblems, readIndex, sha256 } from "./bundle.js";

/**
 * The one reader of a stack's evidence history (`evidence/<stack>/<UTC time>/`), for every
 * command that replays it (`access` for since-when, `attest` for who left). A history with a
 * hole or an edit refuses, naming the file and the fix: a reader that skipped what it could
 * not trust would report a history that never happened.
 */
export class HistoryError extends Error {
  constructor(
    /** The file at fault, as `<bundle>/<file>` relative to where the command runs. */
    readonly file: string,
    what: string,
    /** What to do about it. */
    readonly fix: string,
  ) {
    super(`${file} ${what}; ${fix}`);
    this.name = "HistoryError";
  }
}

/** What every reader needs of applied.json. Loose: bundles of older or newer rolecall versions still say what they executed. */
const Applied = z.object({ planDigest: z.string(), result: z.string(), finishedAt: z.string().optional() });

/** An applied bundle of the history, every file its files.json lists intact. */
export interface AppliedBundle {
  /** The folder relative to where the command runs, as findings name it. */
  bundle: string;
  /** files.json: each file's sha256. */
  files: Readonly<Record<string, string>>;
  applied: z.infer<typeof Applied>;
  /** A file of the bundle, parsed by `schema` from the very bytes checked against files.json. */
  read<T>(file: string, schema: z.ZodType<T>): Promise<T>;
  /**
   * Every file files.json lists hashes as recorded (what `evidence verify` checks first), or
   * it throws. Called by a reader for each bundle it takes anything from: a year of daily
   * applies at 100,000 people is too much to hash for the few bundles of a quarter.
   */
  verify(): Promise<void>;
}

/**
 * Every applied bundle in the folder, in folder (time) order; a missing folder is an empty
 * history. Each subfolder must be a bundle (files.json); one without applied.json is a plan or
 * an attestation and says nothing about what was done. An applied bundle must list its
 * applied.json, and whatever is read of it must hash as listed; `verify` checks it whole.
 */
export async function appliedBundles(evidenceDir: string, relativeTo: string): Promise<AppliedBundle[]> {
  const folder = path.relative(relativeTo, evidenceDir) || evidenceDir;
  const names = (await readdir(evidenceDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const bundles: AppliedBundle[] = [];
  for (const name of names) {
    const dir = path.join(evidenceDir, name);
    const bundle = path.relative(relativeTo, dir) || dir;
    const moveOut = `restore it from the bundle's copy, or move ${bundle} out of ${folder} if it is not an evidence bundle`;
    const index = await readIndex(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") throw new HistoryError(`${bundle}/files.json`, "is missing: without it nothing in the folder can be checked, so the history has a hole", moveOut);
      throw new HistoryError(`${bundle}/files.json`, "is not a bundle index ({ files: { name: sha256 } })", moveOut);
    });
    if (!("applied.json" in index.files)) {
      const unlisted = await access(path.join(dir, "applied.json")).then(() => true, () => false);
      if (unlisted) throw new HistoryError(`${bundle}/applied.json`, "is not listed in its files.json: an apply's record nobody can check", `run rolecall evidence verify ${bundle}; restore the bundle's files.json`);
      continue;
    }
    const verify = async () => {
      const problems = await indexProblems(dir, index);
      if (problems.length === 0) return;
      const [first] = problems;
      const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
      throw new HistoryError(`${bundle}/${first!.file}`, `does not verify: ${first!.problem}${more}`, `run rolecall evidence verify ${bundle}; restore the bundle`);
    };
    const read = async <T>(file: string, schema: z.ZodType<T>): Promise<T> => {
      const where = `${bundle}/${file}`;
      if (!(file in index.files)) throw new HistoryError(where, "is not listed in its files.json: the history has a hole", `run rolecall evidence verify ${bundle}; restore the bundle`);
      const bytes = await readFile(path.join(dir, file)).catch(() => undefined);
      if (bytes === undefined) throw new HistoryError(where, `does not verify: ${file} is missing`, `run rolecall evidence verify ${bundle}; restore the bundle`);
      if (sha256(bytes) !== index.files[file]) throw new HistoryError(where, `does not verify: ${file} was changed after it was written`, `run rolecall evidence verify ${bundle}; restore the bundle`);
      return parse(schema, bytes.toString("utf8"), where);
    };
    bundles.push({ bundle, files: index.files, applied: await read("applied.json", Applied), read, verify });
  }
  return bundles;
}

function parse<T>(schema: z.ZodType<T>, text: string, where: string): T {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new HistoryError(where, "is not JSON", "restore the bundle or move it out of the evidence folder");
  }
  const result = schema.safeParse(data);
  const issue = result.error?.issues[0];
  if (!result.success) throw new HistoryError(where, `is not a rolecall evidence file (${issue?.path.join(".") ?? ""}: ${issue?.message ?? ""})`, "restore the bundle or move it out of the evidence folder");
  return result.data;
}
