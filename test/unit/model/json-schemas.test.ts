import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { DESIRED_STATE_FILE_KINDS, desiredStateJsonSchemas, formatJsonSchema } from "../../../src/model/json-schemas.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const schemasDir = path.join(root, "schemas");
const sampleDir = path.join(root, "desired-state");
const generated = desiredStateJsonSchemas();

type Json = Record<string, unknown>;

/** Every sub-schema with its JSON pointer. */
function* walk(node: unknown, pointer = "#"): Generator<[string, Json]> {
  if (typeof node !== "object" || node === null) return;
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* walk(item, `${pointer}/${i}`);
    return;
  }
  yield [pointer, node as Json];
  for (const [key, value] of Object.entries(node)) {
    // `properties` and `$defs` map names to schemas; everything else nests schemas directly.
    if (key === "properties" || key === "$defs") {
      for (const [name, sub] of Object.entries(value as Json)) yield* walk(sub, `${pointer}/${key}/${name}`);
    } else if (typeof value === "object") yield* walk(value, `${pointer}/${key}`);
  }
}

function resolve(rootSchema: Json, ref: string): Json {
  const match = /^#\/\$defs\/(.+)$/.exec(ref);
  const def = match ? (rootSchema.$defs as Record<string, Json> | undefined)?.[match[1]!] : undefined;
  if (!def) throw new Error(`unresolvable $ref ${ref}`);
  return def;
}

/**
 * Structural conformance of data to a schema: object keys known (additionalProperties /
 * propertyNames), required keys present, containers and scalars of the declared type, enums.
 * Not a JSON Schema validator (ajv is not a dependency): patterns, lengths and formats are
 * left to the zod parse the loader does anyway.
 */
function structuralErrors(schema: Json, data: unknown, rootSchema: Json, at = ""): string[] {
  if (typeof schema.$ref === "string") return structuralErrors(resolve(rootSchema, schema.$ref), data, rootSchema, at);
  if (Array.isArray(schema.anyOf)) {
    const branches = (schema.anyOf as Json[]).map((b) => structuralErrors(b, data, rootSchema, at));
    return branches.some((e) => e.length === 0) ? [] : [`${at || "/"}: matches no anyOf branch (${branches.map((e) => e[0]).join("; ")})`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(data)) return [`${at}: ${JSON.stringify(data)} not in enum`];
  switch (schema.type) {
    case "string":
      return typeof data === "string" ? [] : [`${at}: expected a string`];
    case "boolean":
      return typeof data === "boolean" ? [] : [`${at}: expected a boolean`];
    case "integer":
      return Number.isInteger(data) ? [] : [`${at}: expected an integer`];
    case "number":
      return typeof data === "number" ? [] : [`${at}: expected a number`];
    case "array":
      if (!Array.isArray(data)) return [`${at}: expected an array`];
      return data.flatMap((item, i) => structuralErrors(schema.items as Json, item, rootSchema, `${at}/${i}`));
    case "object": {
      if (typeof data !== "object" || data === null || Array.isArray(data)) return [`${at}: expected an object`];
      const properties = (schema.properties ?? {}) as Record<string, Json>;
      const errors = ((schema.required ?? []) as string[]).filter((k) => !(k in data)).map((k) => `${at}: missing required '${k}'`);
      for (const [key, value] of Object.entries(data)) {
        const names = schema.propertyNames as Json | undefined;
        if (names?.enum && !(names.enum as string[]).includes(key)) errors.push(`${at}: key '${key}' not allowed`);
        if (typeof names?.pattern === "string" && !new RegExp(names.pattern, "u").test(key)) errors.push(`${at}: key '${key}' not allowed`);
        if (key in properties) errors.push(...structuralErrors(properties[key]!, value, rootSchema, `${at}/${key}`));
        else if (schema.additionalProperties === false) errors.push(`${at}: unknown key '${key}'`);
        else if (typeof schema.additionalProperties === "object") errors.push(...structuralErrors(schema.additionalProperties as Json, value, rootSchema, `${at}/${key}`));
      }
      return errors;
    }
    default:
      return [];
  }
}

/** Every YAML file of the sample organisation, relative to desired-state/. */
async function sampleFiles(): Promise<string[]> {
  const entries = await readdir(sampleDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.relative(sampleDir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

function kindOf(rel: string) {
  return DESIRED_STATE_FILE_KINDS.find((k) => k.files.some((pattern) => new RegExp(`^${pattern.replace(".", "\\.").replace("*", "[^/]+")}$`).test(rel)));
}

describe("JSON Schemas of the desired-state files", () => {
  it("has one per file kind, named as the sample files and evidence bundles reference them", () => {
    expect(Object.keys(generated)).toEqual([
      "adoption.schema.json",
      "applied.schema.json",
      "attestation.schema.json",
      "catalog.schema.json",
      "exclusions.schema.json",
      "github.schema.json",
      "grants.schema.json",
      "hr-source.schema.json",
      "inventory.schema.json",
      "offboarding.schema.json",
      "plan.schema.json",
      "policy.schema.json",
      "roles.schema.json",
      "rules.schema.json",
      "service-accounts.schema.json",
    ]);
  });

  it("matches the committed schemas/ folder byte for byte (run `rolecall schemas` after changing a zod schema)", async () => {
    const committed = (await readdir(schemasDir)).filter((n) => n.endsWith(".schema.json")).sort();
    expect(committed).toEqual(Object.keys(generated));
    for (const [name, schema] of Object.entries(generated)) {
      expect(await readFile(path.join(schemasDir, name), "utf8"), name).toBe(formatJsonSchema(schema));
    }
  });

  it("is deterministic and formatted with 2 spaces and a trailing newline", () => {
    expect(JSON.stringify(desiredStateJsonSchemas())).toBe(JSON.stringify(generated));
    const text = formatJsonSchema(generated["rules.schema.json"]!);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.split("\n")[1]).toBe('  "$schema": "https://json-schema.org/draft/2020-12/schema",');
  });

  it.each(Object.entries(generated))("%s: dialect, $id, title and description at the root", (name, schema) => {
    expect(Object.keys(schema).slice(0, 4)).toEqual(["$schema", "$id", "title", "description"]);
    expect(schema).toMatchObject({ $schema: "https://json-schema.org/draft/2020-12/schema", $id: name, type: "object" });
    expect(schema.title).toEqual(expect.any(String));
    expect(schema.description).toEqual(expect.any(String));
  });

  it.each(Object.entries(generated))("%s: strict objects stay closed and every $ref resolves", (_name, schema) => {
    for (const [pointer, node] of walk(schema)) {
      if (node.type === "object" && node.properties) expect(node.additionalProperties, pointer).toBe(false);
      if (typeof node.$ref === "string") expect(() => resolve(schema, node.$ref as string), pointer).not.toThrow();
    }
    expect(Object.keys((schema.$defs ?? {}) as Json).filter((n) => n.startsWith("__"))).toEqual([]);
  });

  it("exports the recursive rule condition as a named definition", () => {
    const rules = generated["rules.schema.json"]!;
    const condition = (rules.$defs as Record<string, Json>).Condition!;
    expect(condition.description).toEqual(expect.any(String));
    const branches = condition.anyOf as Json[];
    expect(branches).toHaveLength(4);
    expect(branches[0]).toMatchObject({ properties: { all: { items: { $ref: "#/$defs/Condition" } } }, additionalProperties: false });
    expect(branches[2]).toMatchObject({ properties: { not: { $ref: "#/$defs/Condition" } } });
    const nested = { rules: [{ id: "r", description: "d", when: { any: [{ department: "Sales" }, { not: { all: [{ isManager: true }] } }] }, assign: ["x"] }] };
    expect(structuralErrors(rules, nested, rules)).toEqual([]);
    const bad = { rules: [{ id: "r", description: "d", when: { not: { all: "Sales" } }, assign: ["x"] }] };
    expect(structuralErrors(rules, bad, rules)).not.toEqual([]);
  });

  it("leaves fields with defaults optional (input shape) and marks dates", () => {
    const policy = generated["policy.schema.json"]!;
    expect(policy.required).toEqual(["organization"]);
    const grant = ((generated["grants.schema.json"]!.properties as Record<string, Json>).grants!.items as Json).properties as Record<string, Json>;
    expect(grant.expires).toMatchObject({ type: "string", format: "date" });
    expect((grant.sodExceptions as Json).default).toEqual([]);
    expect((((generated["grants.schema.json"]!.properties as Record<string, Json>).grants!.items as Json).required as string[])).not.toContain("sodExceptions");
  });
});

describe("the sample organisation against its schemas", async () => {
  const files = await sampleFiles();

  it("covers every file kind", () => {
    expect(new Set(files.map((f) => kindOf(f)?.name))).toEqual(new Set(DESIRED_STATE_FILE_KINDS.filter((k) => k.files.length > 0).map((k) => k.name)));
  });

  it.each(files)("%s: names its schema, parses with zod and conforms to the JSON Schema", async (rel) => {
    const kind = kindOf(rel);
    expect(kind, `no file kind for ${rel}`).toBeDefined();
    const text = await readFile(path.join(sampleDir, rel), "utf8");
    const ref = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text)?.[1];
    expect(ref, "the yaml-language-server comment").toBeDefined();
    expect(path.resolve(path.dirname(path.join(sampleDir, rel)), ref!)).toBe(path.join(schemasDir, `${kind!.name}.schema.json`));

    const data: unknown = parseYaml(text);
    const parsed = kind!.schema.safeParse(data);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    const schema = generated[`${kind!.name}.schema.json`]!;
    expect(structuralErrors(schema, data, schema)).toEqual([]);
  });

  it("rejects an unknown key in both the zod schema and the JSON Schema", async () => {
    for (const rel of files) {
      const kind = kindOf(rel)!;
      const data = { ...(parseYaml(await readFile(path.join(sampleDir, rel), "utf8")) as Json), unexpected: true };
      const schema = generated[`${kind.name}.schema.json`]!;
      expect(kind.schema.safeParse(data).success, rel).toBe(false);
      expect(structuralErrors(schema, data, schema), rel).toContain(": unknown key 'unexpected'");
    }
  });
});
