import { z } from "zod";
import { CorrelationRule } from "./inventory.js";
import { checkEmailTemplate, checkLoginTemplate, checkTimezone, checkUnique, DOMAIN } from "./policy-checks.js";
import { LimitsSchema } from "./limits.js";
import { RoleId } from "./role.js";
import { OrphanActionKind } from "./adoption.js";
import { ALL_TARGETS } from "../targets/registry.js";

const days = (max: number, what: string) => z.number().int(`${what} is a whole number of days`).min(0, `${what} cannot be negative`).max(max, `${what} is at most ${max} days`);
const percent = z.number().min(0, "a percentage from 0 to 100").max(100, "a percentage from 0 to 100");
/** A per-run limit: a count and a share of the people, both must hold. */
const RunLimit = (count: number, pct: number) =>
  z
    .object({ count: z.number().int("a whole number of people").min(0, "cannot be negative"), percent })
    .strict()
    .default({ count, percent: pct });

/** What policy does with one target's orphans; accounts whose userName matches an exclusion are only reported. */
const OrphanPolicySchema = z
  .object({
    action: OrphanActionKind.default("report").describe("report (list them in the inventory and the plan), disable, or remove. Disabling and removing go through the plan, the deprovisioning guardrails and the evidence."),
    exclude: z
      .array(z.string().min(1))
      .default([])
      .describe("userName patterns left alone whatever the action (another tool's service accounts, break-glass accounts); `*` matches any characters, case-insensitive."),
  })
  .strict();
export type OrphanPolicy = z.infer<typeof OrphanPolicySchema>;

/** Only a target that can disable or remove an orphan declaratively (through the engine, previewed) may be told to. */
function checkOrphanPolicies(orphans: Record<string, OrphanPolicy>, ctx: z.RefinementCtx): void {
  for (const [name, rule] of Object.entries(orphans)) {
    const target = ALL_TARGETS.find((t) => t.name === name);
    if (!target) {
      ctx.addIssue({ code: "custom", path: ["orphans", name], message: `no target is named '${name}' (targets: ${ALL_TARGETS.map((t) => t.name).join(", ")})` });
      continue;
    }
    if (rule.action !== "report" && !(target.orphanActions ?? []).includes(rule.action)) {
      ctx.addIssue({
        code: "custom",
        path: ["orphans", name, "action"],
        message: `rolecall cannot ${rule.action} ${name} orphans through the engine yet (it could not preview or guard it); set action: report and handle the accounts the inventory lists by hand`,
      });
    }
  }
}

/** `policy.yaml`: the organisation's rules about identities, lifecycle and guardrails. */
export const PolicySchema = z
  .object({
    $schema: z.string().optional(),
    organization: z
      .object({
        domain: z.string().regex(DOMAIN, "a DNS domain in lower case, such as example.com"),
        timezone: z.string().default("UTC").describe("IANA zone in which dates in the roster are days."),
      })
      .strict(),
    identity: z
      .object({
        loginTemplate: z
          .string()
          .default("{given}.{family}")
          .describe("Placeholders: {given}, {family}, {preferred}, {workerId}, {domain}; transliterated to ASCII, lower-cased. Any other text: a-z, 0-9, '.', '_', '-'."),
        emailTemplate: z.string().default("{login}@{domain}").describe("Placeholders: {login}, {domain}. Exactly one @, {login} before it, a domain after it."),
        useHrEmail: z.boolean().default(true).describe("Prefer the roster's email when it has one."),
        renames: z
          .enum(["keep", "follow"])
          .default("keep")
          .describe("When a person's own name changes: keep the login and generated email they have, or follow the new name. An email HR supplies is always followed."),
        reuseAfterDays: z
          .number()
          .int()
          .min(0)
          .optional()
          .describe("Days after which a login or email its worker no longer uses may go to another worker ID. Absent: never."),
      })
      .strict()
      .default({ loginTemplate: "{given}.{family}", emailTemplate: "{login}@{domain}", useHrEmail: true, renames: "keep" }),
    lifecycle: z
      .object({
        preHireDays: days(365, "preHireDays").default(7),
        leaverGraceDays: days(365, "leaverGraceDays").default(0),
        onLeave: z.enum(["suspend", "keep-entitlements"]).default("suspend"),
        contractorsNeedEndDate: z.boolean().default(true).describe("A contractor without an end date is an error."),
      })
      .strict()
      .default({ preHireDays: 7, leaverGraceDays: 0, onLeave: "suspend", contractorsNeedEndDate: true }),
    guardrails: z
      .object({
        maxDeprovision: RunLimit(10, 10),
        minRosterSize: z.number().int("a whole number of people").min(0, "cannot be negative").default(1).describe("Refuse to run on a roster with fewer people (a truncated export)."),
        maxRosterShrinkPercent: percent.default(20).describe("Refuse when the declared people shrink by more than this against what is applied."),
        maxReactivations: RunLimit(5, 5).describe("Refuse a run that re-enables more people than this: leavers or people on leave back to active, or accounts created for people who started in the past."),
        maxRenames: RunLimit(10, 10).describe("Refuse a run that changes more logins or emails than this (a changed template or a bad export renames everyone)."),
      })
      .strict()
      .default({
        maxDeprovision: { count: 10, percent: 10 },
        minRosterSize: 1,
        maxRosterShrinkPercent: 20,
        maxReactivations: { count: 5, percent: 5 },
        maxRenames: { count: 10, percent: 10 },
      }),
    protected: z.array(z.string()).default([]).describe("Worker IDs of break-glass accounts never removed by a roster change."),
    separationOfDuties: z
      .array(
        z
          .object({ id: z.string().min(1), roles: z.array(RoleId).min(2), reason: z.string().min(1) })
          .strict(),
      )
      .default([]),
    grants: z
      .object({
        maxDays: days(366, "maxDays").min(1, "maxDays is at least 1").default(90),
        privilegedNeedTicketAndApprover: z.boolean().default(true),
      })
      .strict()
      .default({ maxDays: 90, privilegedNeedTicketAndApprover: true }),
    serviceAccounts: z
      .object({
        onInvalid: z
          .enum(["drop", "fail"])
          .default("drop")
          .describe("A service account whose owner left or whose expiry passed: drop it (a warning) or fail validation."),
        loginPrefix: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,19}$/, "1–20 lower-case letters, digits, '.' and '-'").default("svc-"),
      })
      .strict()
      .default({ onInvalid: "drop", loginPrefix: "svc-" }),
    limits: LimitsSchema.default(LimitsSchema.parse({})).describe("Bounds on what the loader reads; see the README's desired-state limits."),
    inventory: z
      .object({
        correlation: z
          .array(CorrelationRule)
          .min(1, "name at least one correlation rule")
          .default(["externalId", "email", "userName"])
          .describe("How a live account is matched to an HR worker or service account, first rule with a match decides: externalId = worker ID, the HR email, the login. Case-insensitive, unicode-normalised."),
      })
      .strict()
      .default({ correlation: ["externalId", "email", "userName"] }),
    orphans: z
      .record(z.string(), OrphanPolicySchema)
      .default({})
      .describe("Per target (scim, okta, azuread, aws): what happens to live accounts no HR worker or service account owns. A target not named reports them."),
  })
  .strict()
  .superRefine((policy, ctx) => {
    checkTimezone(policy.organization.timezone, ctx);
    checkLoginTemplate(policy.identity.loginTemplate, ctx);
    checkEmailTemplate(policy.identity.emailTemplate, policy.organization.domain, ctx);
    checkUnique(policy.protected, ["protected"], "protected account", ctx);
    checkUnique(policy.inventory.correlation, ["inventory", "correlation"], "correlation rule", ctx);
    checkUnique(policy.separationOfDuties.map((c) => c.id), ["separationOfDuties"], "separation-of-duties conflict", ctx);
    policy.separationOfDuties.forEach((c, i) => checkUnique(c.roles, ["separationOfDuties", i, "roles"], "role", ctx));
    checkOrphanPolicies(policy.orphans, ctx);
  });
export type Policy = z.infer<typeof PolicySchema>;
