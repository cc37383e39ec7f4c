import { z } from "zod";
import { AdoptionFileSchema } from "./adoption.js";
import { CatalogSchema } from "./catalog.js";
import { IsoDate } from "./common.js";
import { ExclusionsFileSchema } from "./exclusion.js";
import { GithubFileSchema } from "./github.js";
import { GrantsFileSchema } from "./grant.js";
import { HrSourceSchema } from "./hr-source.js";
import { InventoryDocumentSchema } from "./inventory.js";
import { AttestationSchema, OffboardingProofSchema } from "./offboarding.js";
import { AppliedDocumentSchema, PlanDocumentSchema } from "./plan.js";
import { PolicySchema } from "./policy.js";
import { RolesFileSchema } from "./role.js";
import { ConditionSchema, RulesFileSchema } from "./rule.js";
import { ServiceAccountsFileSchema } from "./service-account.js";

/** One kind of file rolecall reads or writes (desired state, evidence): its zod schema and where such files live. */
export interface DesiredStateFileKind {
  /** The JSON Schema is written to `schemas/<name>.schema.json`. */
  name: string;
  /** Paths (relative to desired-state/; `*` for any file name) of the files of this kind. */
  files: readonly string[];
  schema: z.ZodType;
  title: string;
  description: string;
}

export const DESIRED_STATE_FILE_KINDS: readonly DesiredStateFileKind[] = [
  {
    name: "adoption",
    files: ["adoption.yaml"],
    schema: AdoptionFileSchema,
    title: "rolecall adoption decisions",
    description: "adoption.yaml: reviewed decisions that settle accounts correlation cannot (disputed): whose account it is, or nobody's (an orphan).",
  },
  {
    name: "catalog",
    files: ["catalog.yaml"],
    schema: CatalogSchema,
    title: "rolecall catalog",
    description: "catalog.yaml: what exists in each target system, by key. Roles refer to these keys; a key becomes a resource name.",
  },
  {
    name: "exclusions",
    files: ["exclusions/*.yaml"],
    schema: ExclusionsFileSchema,
    title: "rolecall exclusions",
    description: "exclusions/*.yaml: reviewed decisions that a worker must not hold a role that rules would give them (access reviews).",
  },
  {
    name: "github",
    files: ["github.yaml"],
    schema: GithubFileSchema,
    title: "rolecall GitHub handles",
    description: "github.yaml: each worker's GitHub handle and the security team, for CODEOWNERS and the plan workflow's author check.",
  },
  {
    name: "grants",
    files: ["grants/*.yaml"],
    schema: GrantsFileSchema,
    title: "rolecall grants",
    description: "grants/*.yaml: time-bound, approved exceptions — a role for one worker from one date to another.",
  },
  {
    name: "hr-source",
    files: ["hr/source.yaml"],
    schema: HrSourceSchema,
    title: "rolecall HR source",
    description: "hr/source.yaml: which HR export to read and how its columns and words map onto person fields.",
  },
  {
    name: "policy",
    files: ["policy.yaml"],
    schema: PolicySchema,
    title: "rolecall policy",
    description: "policy.yaml: login and email templates, lifecycle, guardrails, separation of duties and grant limits.",
  },
  {
    name: "roles",
    files: ["roles/*.yaml"],
    schema: RolesFileSchema,
    title: "rolecall roles",
    description: "roles/*.yaml: RBAC roles — owner, included roles, privileged flag and entitlements per target.",
  },
  {
    name: "rules",
    files: ["rules/*.yaml"],
    schema: RulesFileSchema,
    title: "rolecall rules",
    description: "rules/*.yaml: ABAC assignment rules — a condition on person attributes and the roles it assigns.",
  },
  {
    name: "service-accounts",
    files: ["service-accounts/*.yaml"],
    schema: ServiceAccountsFileSchema,
    title: "rolecall service accounts",
    description: "service-accounts/*.yaml: non-human identities — owner, purpose, expiry and roles.",
  },
  {
    name: "plan",
    files: [],
    schema: PlanDocumentSchema,
    title: "rolecall plan",
    description: "plan.json in an evidence bundle: what a preview would change, in people, with every engine step behind it.",
  },
  {
    name: "applied",
    files: [],
    schema: AppliedDocumentSchema,
    title: "rolecall applied",
    description: "applied.json in an evidence bundle: the outcome of each step of an apply, tied to its plan's digest.",
  },
  {
    name: "offboarding",
    files: [],
    schema: OffboardingProofSchema,
    title: "rolecall offboarding proof",
    description: "offboarding.json in an apply's bundle: every identity whose access the run ended, read back live from every enabled target, with a verdict per target (and, on the fast path, what was revoked and the read-back).",
  },
  {
    name: "attestation",
    files: [],
    schema: AttestationSchema,
    title: "rolecall attestation",
    description: "attestation.json from `rolecall attest --since DATE`: every identity whose access ended since the date, re-checked live in every enabled target.",
  },
  {
    name: "inventory",
    files: [],
    schema: InventoryDocumentSchema,
    title: "rolecall inventory",
    description: "inventory.json in a plan's bundle and `rolecall inventory --json`: every account and holding each enabled target holds live, classified against the HR roster.",
  },
];

/** Names for shared definitions, so `$defs` read `Condition` rather than a generated `__schema0`. */
const DEFS = new Map<z.core.$ZodType, { id: string; description: string }>([
  [
    ConditionSchema,
    {
      id: "Condition",
      description:
        "An attribute condition: a mapping of attribute → value (or a list, any of which matches) that holds when every entry holds, or all / any / not of further conditions. `{}` always holds.",
    },
  ],
]);

/**
 * The global registry (where `.describe()` puts descriptions) plus ids for the shared
 * definitions above — without registering those ids globally, which would outlive this call.
 */
class SchemaMetadata extends z.core.$ZodRegistry<z.core.GlobalMeta> {
  override get<S extends z.core.$ZodType>(schema: S): z.core.$replace<z.core.GlobalMeta, S> | undefined {
    const meta = z.globalRegistry.get(schema);
    const def = DEFS.get(schema);
    return def === undefined ? meta : ({ ...meta, ...def } as z.core.$replace<z.core.GlobalMeta, S>);
  }
  override has(schema: z.core.$ZodType): boolean {
    return DEFS.has(schema) || z.globalRegistry.has(schema);
  }
}

const JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";

/** Whether a zod schema is `IsoDate` or derived from it (`.describe()` and `.optional()` clones). */
function isIsoDate(schema: z.core.$ZodType): boolean {
  for (let s: z.core.$ZodType | undefined = schema; s; s = s._zod.parent) if (s === IsoDate) return true;
  return false;
}

/** Converts one desired-state file schema; the root carries `$id`, `title` and `description`. */
export function toFileJsonSchema(kind: DesiredStateFileKind): Record<string, unknown> {
  const generated = z.toJSONSchema(kind.schema, {
    target: "draft-2020-12",
    io: "input", // defaults are optional to write, not required
    cycles: "ref",
    reused: "inline",
    unrepresentable: "throw",
    metadata: new SchemaMetadata(),
    override: ({ zodSchema, jsonSchema }) => {
      // The date check is a refinement zod cannot express; editors understand format: date.
      if (isIsoDate(zodSchema) && jsonSchema.type === "string") {
        jsonSchema.format = "date";
        jsonSchema.pattern = "^\\d{4}-\\d{2}-\\d{2}$";
      }
    },
  }) as Record<string, unknown>;
  const { $schema: _dialect, ...body } = collapseAliases(generated);
  void _dialect;
  return {
    $schema: JSON_SCHEMA_DIALECT,
    // Relative: it resolves to wherever the file is read from (the sample files point at it
    // with a relative path too), so nothing here claims a URL the project does not own.
    $id: `${kind.name}.schema.json`,
    title: kind.title,
    description: kind.description,
    ...body,
  };
}

/**
 * A recursive `z.lazy` comes out as two definitions: the named one holding only
 * `{ $ref: "#/$defs/__schema0" }` (and its description), and the generated one with the
 * content. Move the content under the name and point every reference at it.
 */
function collapseAliases(schema: Record<string, unknown>): Record<string, unknown> {
  const defs = schema.$defs as Record<string, Record<string, unknown>> | undefined;
  if (!defs) return schema;
  const renames = new Map<string, string>();
  for (const [name, def] of Object.entries(defs)) {
    const annotationsOnly = Object.keys(def).every((k) => k === "$ref" || k === "description" || k === "title");
    const target = typeof def.$ref === "string" && annotationsOnly ? /^#\/\$defs\/(.+)$/.exec(def.$ref)?.[1] : undefined;
    if (target !== undefined && target in defs && !renames.has(target)) renames.set(target, name);
  }
  if (renames.size === 0) return schema;
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (typeof node !== "object" || node === null) return node;
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => {
        const target = k === "$ref" && typeof v === "string" ? /^#\/\$defs\/(.+)$/.exec(v)?.[1] : undefined;
        return [k, target !== undefined && renames.has(target) ? `#/$defs/${renames.get(target)}` : rewrite(v)];
      }),
    );
  };
  const newDefs: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(defs)) {
    if (renames.has(name)) continue; // moved under its name below
    const aliased = [...renames].find(([, alias]) => alias === name)?.[0];
    if (aliased === undefined) newDefs[name] = rewrite(def);
    else {
      const { $ref: _ref, ...annotations } = def;
      void _ref;
      newDefs[name] = rewrite({ ...annotations, ...defs[aliased] });
    }
  }
  return { ...(rewrite({ ...schema, $defs: undefined }) as Record<string, unknown>), $defs: newDefs };
}

/**
 * Every desired-state file kind's JSON Schema, keyed by file name (`policy.schema.json`, …),
 * in name order. Generated from the zod schemas, which stay the single source of truth.
 */
export function desiredStateJsonSchemas(): Record<string, Record<string, unknown>> {
  const kinds = [...DESIRED_STATE_FILE_KINDS].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return Object.fromEntries(kinds.map((kind) => [`${kind.name}.schema.json`, toFileJsonSchema(kind)]));
}

/** The committed text of a schema file: 2-space JSON with a trailing newline. */
export function formatJsonSchema(schema: Record<string, unknown>): string {
  return JSON.stringify(schema, null, 2) + "\n";
}
