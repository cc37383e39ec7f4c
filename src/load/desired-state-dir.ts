import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { CatalogSchema, type Catalog } from "../model/catalog.js";
import type { Finding } from "../model/finding.js";
import { GrantsFileSchema } from "../model/grant.js";
import { HrSourceSchema } from "../model/hr-source.js";
import type { Inputs } from "../model/inputs.js";
import type { Located } from "../model/person.js";
import { PolicySchema, type Policy } from "../model/policy.js";
import { RolesFileSchema } from "../model/role.js";
import { RulesFileSchema } from "../model/rule.js";
import { ServiceAccountsFileSchema } from "../model/service-account.js";
import { readRoster } from "./hr-roster.js";
import { parseYamlFile } from "./yaml-file.js";

/**
 * Reads and validates a desired-state directory. Never throws for bad content: every problem
 * is a finding with file and line; paths in findings and in `files` are relative to `dir`.
 */
export async function loadDesiredState(dir: string): Promise<Inputs> {
  const files: Inputs["files"] = [];
  const findings: Finding[] = [];

  const read = async (rel: string): Promise<string | undefined> => {
    try {
      const bytes = await readFile(path.join(dir, rel));
      files.push({ path: rel, sha256: createHash("sha256").update(bytes).digest("hex") });
      return bytes.toString("utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      return undefined;
    }
  };

  const single = async <S extends z.ZodType>(rel: string, schema: S, required: boolean) => {
    const text = await read(rel);
    if (text === undefined) {
      if (required) {
        findings.push({ severity: "error", code: "missing-file", message: `${rel} is missing`, file: rel, hint: `create ${rel} in ${dir}` });
      }
      return undefined;
    }
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
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const items: Located<T>[] = [];
    for (const name of names) {
      const rel = `${folder}/${name}`;
      const parsed = await single(rel, schema, true);
      const list = (parsed?.value as Record<string, T[]> | undefined)?.[key] ?? [];
      list.forEach((value, index) => items.push({ value, at: { file: rel, line: parsed!.lineOf([key, index]) }, lines: parsed!.linesUnder([key, index]) }));
    }
    return items;
  };

  const policyFile = await single("policy.yaml", PolicySchema, true);
  const catalogFile = await single("catalog.yaml", CatalogSchema, true);
  const policy = policyFile?.value as Policy | undefined;
  const catalog = (catalogFile?.value ?? {}) as Catalog;
  const source = (await single("hr/source.yaml", HrSourceSchema, true))?.value as z.infer<typeof HrSourceSchema> | undefined;

  let roster: Inputs["roster"] = [];
  if (source) {
    const rosterRel = path.posix.join("hr", source.file);
    const text = await read(rosterRel);
    if (text === undefined) {
      findings.push({ severity: "error", code: "missing-file", message: `the HR export ${rosterRel} is missing`, file: "hr/source.yaml", line: 1, hint: "point 'file' at the export, relative to hr/" });
    } else {
      const result = readRoster(rosterRel, text, source);
      roster = result.workers;
      findings.push(...result.findings);
    }
  }

  return {
    policy: policy ?? PolicySchema.parse({ organization: { domain: "invalid.example" } }),
    catalog,
    roster,
    roles: await many("roles", RolesFileSchema, "roles"),
    rules: await many("rules", RulesFileSchema, "rules"),
    grants: await many("grants", GrantsFileSchema, "grants"),
    serviceAccounts: await many("service-accounts", ServiceAccountsFileSchema, "serviceAccounts"),
    lines: { "policy.yaml": policyFile?.linesUnder([]) ?? {}, "catalog.yaml": catalogFile?.linesUnder([]) ?? {} },
    files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    findings,
  };
}
