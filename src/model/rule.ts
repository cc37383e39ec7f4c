import { z } from "zod";
import { Slug } from "./common.js";
import { RoleId } from "./role.js";

/** A value a condition compares an attribute with: one value, or any of a list. */
const Expected = z.union([z.string(), z.boolean(), z.array(z.string()).min(1)]);

/**
 * An ABAC condition. A mapping of attribute → expected value holds when every entry holds;
 * `all`, `any` and `not` combine conditions. Attributes are person fields plus the derived
 * `reportsTo` (transitive management chain, by worker ID) and `isManager`.
 */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { [attribute: string]: string | boolean | string[] };

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ any: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ not: ConditionSchema }).strict(),
    z.record(z.string().regex(/^(?!all$|any$|not$)[A-Za-z]+$/), Expected),
  ]),
);

export const RuleSchema = z
  .object({
    id: Slug,
    description: z.string().min(1),
    when: ConditionSchema.describe("`{}` matches every active worker (birthright)."),
    assign: z.array(RoleId).min(1),
  })
  .strict();
export type Rule = z.infer<typeof RuleSchema>;

/** `rules/*.yaml`. */
export const RulesFileSchema = z
  .object({ $schema: z.string().optional(), rules: z.array(RuleSchema) })
  .strict();
