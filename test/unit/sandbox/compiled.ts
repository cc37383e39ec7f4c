import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * The daemon runs compiled JavaScript in a separate node process. Rather than depend on a full
 * `tsc` build of the repository (which fails while other folders are mid-change, and may be
 * stale), transpile just src/sandbox into a throwaway tree laid out like dist/, with the
 * project's node_modules linked in, and drive the daemon API from that tree so the entry is found
 * beside the compiled daemon module exactly as in dist/.
 */
export async function compileSandbox(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "rolecall-sandbox-build-"));
  await writeFile(join(root, "package.json"), JSON.stringify({ type: "module" }));
  await symlink(join(repo, "node_modules"), join(root, "node_modules"), "dir");
  const source = join(repo, "src/sandbox");
  for (const file of (await readdir(source, { recursive: true })).filter((name) => name.endsWith(".ts"))) {
    const { outputText } = ts.transpileModule(await readFile(join(source, file), "utf8"), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    });
    const target = join(root, "sandbox", file.replace(/\.ts$/, ".js"));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
  return root;
}

