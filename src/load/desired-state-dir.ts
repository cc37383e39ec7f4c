import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { CatalogSchema, type Catalog } from "../model/catalog.js";
import { ExclusionsFileSchema } from "../model/exclusion.js";
import type { Finding } from "../model/finding.js";
import { GithubFileSchema, type GithubFile } from "../model/github.js";
import { GrantsFileSchema } from "../model/grant.js";
import { HrSourceSchema } from "../model/hr-source.js";
import type { Inputs } from "../model/inputs.js";
import { DEFAULT_LIMITS, type Limits } from "../model/limits.js";
import type { Located } from "../model/person.js";
import { PolicySchema, type Policy } from "../model/policy.js";
import { RolesFileSchema } from "../model/role.js";
import { RulesFileSchema } from "../model/rule.js";
import { ServiceAccountsFileSchema } from "../model/service-account.js";
import { chunksOf, InputTooLarge, openContained, pathRefusal, readContained, tooLarge, type Refusal } from "./contained-file.js";
import { readRoster } from "./hr-roster.js";
import { parseYamlFile } from "./yaml-file.js";
import { ADOPTION_FILE, readAdoptionFile } from "./adoption-file.js";

const HINTS: Record<Refusal["code"], string> = {
  "file-outside": "keep every file rolecall reads inside the desired-state folder, as a regular file (not a symlink leading out)",
  "not-a-file": "point at a regular file",
  "missing-file": "create the file, or correct the name",
  "file-too-large": "check the file; raise the limit under limits in policy.yaml if it is really this large",
  "file-unreadable": "check the file's permissions",
};

/**
 * Reads and validates a desired-state directory. Never throws for bad content: every problem
 * is a finding with file and line; paths in findings and in `files` are relative to `dir`.
 * Every file is read through openContained (inside the folder, a regular file, bounded).
 */
export async function loadDesiredState(dir: string): Promise<Inputs> {
  const files: Inputs["files"] = [];
  const findings: Finding[] = [];
  let limits: Limits = { ...DEFAULT_LIMITS };

  const refuse = (refusal: Refusal, at: { file: string; line?: number }, what = "") =>
    findings.push({ severity: "error", code: refusal.code, message: `${what}${refusal.reason}`, ...at, hint: HINTS[refusal.code] });

  /** A YAML file's text, or undefined (missing, or refused with a finding). */
  const read = async (rel: string, required: boolean): Promise<string | undefined> => {
    const maxBytes = rel === "policy.yaml" ? DEFAULT_LIMITS.maxFileBytes : limits.maxFileBytes;
    const result = await readContained(dir, rel, maxBytes);
    if ("code" in result) {
      if (result.code !== "missing-file" || required) refuse(result, { file: rel });
      return undefined;
    }
    files.push({ path: rel, sha256: result.sha256 });
    const text = result.bytes.toString("utf8");
    const bad = text.indexOf("\uFFFD");
    if (bad >= 0) {
      findings.push({ severity: "error", code: "invalid-utf8", message: `${rel} is not valid UTF-8`, file: rel, line: text.slice(0, bad).split("\n").length, hint: "save the file as UTF-8" });
      return undefined;
    }
    return text;
  };

  const single = async <S extends z.ZodType>(rel: string, schema: S, required = true) => {
    const text = await read(rel, required);
    if (text === undefined) return undefined;
    const parsed = parseYamlFile(rel, text, schema);
    findings.push(...parsed.findings);
    return parsed;
  };

  /** Every `*.yaml` in a folder, each a list under `key`, each item located at its line. */
  const many = async <S extends z.ZodType, T>(folder: string, schema: S, key: string): Promise<Located<T>[]> => {
    let names: string[];
    try {
      names = (await readdir(path.join(dir, folder))).filter((n) => /\.ya?ml$/.test(n)).sort();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return [];
      refuse({ code: code === "ENOTDIR" ? "not-a-file" : "file-unreadable", reason: `${folder} is not a readable folder (${code ?? "unknown error"})` }, { file: folder });
      return [];
    }
    const items: Located<T>[] = [];
    for (const name of names) {
      const rel = `${folder}/${name}`;
      const parsed = await single(rel, schema);
      const list = (parsed?.value as Record<string, T[]> | undefined)?.[key] ?? [];
      list.forEach((value, index) => items.push({ value, at: { file: rel, line: parsed!.lineOf([key, index]) }, lines: parsed!.linesUnder([key, index]) }));
    }
    return items;
  };

  const policyFile = await single("policy.yaml", PolicySchema);
  const policy = policyFile?.value as Policy | undefined;
  if (policy) limits = policy.limits;
  const catalogFile = await single("catalog.yaml", CatalogSchema);
  const catalog = (catalogFile?.value ?? {}) as Catalog;
  const sourceFile = await single("hr/source.yaml", HrSourceSchema);
  const source = sourceFile?.value as z.infer<typeof HrSourceSchema> | undefined;

  let roster: Inputs["roster"] = [];
  if (source && sourceFile) {
    const reference = { file: "hr/source.yaml", line: sourceFile.lineOf(["file"]) };
    const refused = pathRefusal(source.file);
    const rosterRel = path.posix.join("hr", source.file);
    const opened = refused ?? (await openContained(dir, rosterRel));
    if ("code" in opened) refuse(opened, reference, "the HR export: ");
    else {
      const hash = createHash("sha256");
      try {
        const result = await readRoster(rosterRel, chunksOf(opened, limits.maxExportBytes, hash), source, limits);
        roster = result.workers;
        findings.push(...result.findings);
        files.push({ path: rosterRel, sha256: hash.digest("hex") });
      } catch (error) {
        if (!(error instanceof InputTooLarge)) throw error;
        refuse(tooLarge(rosterRel, limits.maxExportBytes), reference, "the HR export: ");
      } finally {
        await opened.handle.close();
      }
    }
  }

  // The access review files behind exclusions: not parsed, but hashed into the inputs (the evidence).
  for (const name of (await readdir(path.join(dir, "reviews")).catch(() => [] as string[])).filter((n) => n.endsWith(".csv")).sort()) await read(`reviews/${name}`, true);
  const github = (await single("github.yaml", GithubFileSchema, false))?.value as GithubFile | undefined;
  // Read again by plan and apply, where the live inventory it settles is known; hashed and checked here.
  const adoption = await readAdoptionFile(dir, limits.maxFileBytes);
  if (adoption.sha256) files.push({ path: ADOPTION_FILE, sha256: adoption.sha256 });
  findings.push(...adoption.findings);

  return {
    policy: policy ?? PolicySchema.parse({ organization: { domain: "invalid.example" } }),
    catalog,
    roster,
    roles: await many("roles", RolesFileSchema, "roles"),
    rules: await many("rules", RulesFileSchema, "rules"),
    grants: await many("grants", GrantsFileSchema, "grants"),
    serviceAccounts: await many("service-accounts", ServiceAccountsFileSchema, "serviceAccounts"),
    lines: { "policy.yaml": policyFile?.linesUnder([]) ?? {}, "catalog.yaml": catalogFile?.linesUnder([]) ?? {} },
    exclusions: await many("exclusions", ExclusionsFileSchema, "exclusions"),
    ...(adoption.decisions.length > 0 ? { adoption: adoption.decisions } : {}),
    ...(github ? { github: { value: github, at: { file: "github.yaml", line: 1 } } } : {}),
    files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    findings,
  };
}
