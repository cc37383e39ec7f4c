import { z } from "zod";
import { HeldRoleSchema, LifecycleState, LossReasonSchema } from "./desired-state.js";
import { FindingSchema } from "./finding.js";
import { AdoptionSchema, OrphanSchema } from "./adoption.js";

/** One engine step, as the engine reported it (secret values never appear: the engine masks them). */
export const PlanStepSchema = z.strictObject({
  op: z.string().describe("create, update, delete, replace, same, …"),
  urn: z.string(),
  type: z.string(),
  name: z.string(),
  target: z.string().describe("The rolecall target the resource belongs to: scim, okta, azuread, aws."),
  diffs: z.array(z.string()).describe("Changed input properties."),
  inputsSha256: z.string().optional().describe("sha256 of the step's new inputs (secrets masked by the engine): the values a reviewed plan pins."),
  detailedDiff: z.record(z.string(), z.strictObject({ kind: z.string(), inputDiff: z.boolean() })).optional(),
  members: z
    .strictObject({
      field: z.string(),
      added: z.array(z.string()).describe("Ids the step adds: declared, not held live."),
      removed: z.array(z.string()).describe("Ids the step removes: held live, not declared."),
    })
    .optional()
    .describe("For a membership list (a group's members, a user's groups): which ids the update adds and removes, from the state before it and the declared list."),
});
export type PlanStep = z.infer<typeof PlanStepSchema>;

/** Something a person gains or loses in one target, and why. */
export const AccessChangeSchema = z.strictObject({
  target: z.string(),
  kind: z.string().describe("group, adminRole, directoryRole"),
  item: z.string().describe("Catalog key."),
  because: z.array(HeldRoleSchema).describe("For a gain: the roles that earn it, with their reasons."),
  lost: z.array(LossReasonSchema).optional().describe("For a loss: why it is no longer held, as compile computed it."),
});
export type AccessChange = z.infer<typeof AccessChangeSchema>;

export const PersonChangeKind = z.enum(["joiner", "adopted", "mover", "leaver", "disabled", "enabled", "updated"]);
export type PersonChangeKind = z.infer<typeof PersonChangeKind>;

/** Everything the plan does to one identity, read as an auditor reads it. */
export const PersonChangeSchema = z.strictObject({
  id: z.string().describe("Worker ID or service-account key."),
  kind: z.enum(["person", "service-account"]),
  displayName: z.string(),
  email: z.string(),
  state: LifecycleState.or(z.literal("removed")).describe("'removed': no longer in the desired state at all."),
  stateReason: z.string(),
  change: PersonChangeKind,
  account: z
    .array(z.strictObject({ target: z.string(), op: z.string(), changed: z.array(z.string()) }))
    .describe("Account steps per target (create, update, delete, replace)."),
  gains: z.array(AccessChangeSchema),
  losses: z.array(AccessChangeSchema),
  risks: z.array(z.string()),
});
export type PersonChange = z.infer<typeof PersonChangeSchema>;

export const RiskSchema = z.strictObject({
  code: z.enum(["privileged-grant", "protected-account", "mass-deprovision", "drift"]),
  subject: z.string(),
  message: z.string(),
});
export type Risk = z.infer<typeof RiskSchema>;

export const GuardrailVerdictSchema = z.strictObject({
  name: z.string(),
  limit: z.string(),
  actual: z.string(),
  verdict: z.enum(["pass", "fail", "overridden"]),
  message: z.string(),
});
export type GuardrailVerdict = z.infer<typeof GuardrailVerdictSchema>;

export const ManifestSchema = z.strictObject({
  stack: z.string(),
  asOf: z.string(),
  createdAt: z.string().describe("UTC, ISO 8601."),
  desiredState: z.string().describe("The desired-state folder, relative to the project."),
  inputs: z.array(z.strictObject({ path: z.string(), sha256: z.string() })),
  git: z.strictObject({ commit: z.string(), dirty: z.boolean() }).nullable(),
  versions: z.strictObject({ rolecall: z.string(), pulumi: z.string(), node: z.string() }),
  ranBy: z.strictObject({ user: z.string(), host: z.string(), ci: z.string().optional() }),
  override: z.string().optional().describe("The reason given with --allow-mass-deprovision."),
  changeOverride: z.string().optional().describe("The reason given with --allow-mass-change (reactivations, renames)."),
  fastPath: z.literal("offboard").optional().describe("A leaver fast-path run (rolecall offboard): only revocations were previewed and applied; every other change waits for the next full run."),
  scope: z
    .strictObject({ previewed: z.number().int(), unchanged: z.number().int() })
    .optional()
    .describe("A full run that previewed only what changed: the resources previewed, and those left out because their desired inputs, their state and the targets' live read all agreed (read in the same run)."),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** plan.json: what a preview would change, in people, with every engine step behind it. */
export const PlanDocumentSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  manifest: ManifestSchema,
  digest: z.string().describe("sha256 over the steps that change something: what apply must reproduce exactly."),
  summary: z.strictObject({
    joiners: z.number(),
    movers: z.number(),
    leavers: z.number(),
    disabled: z.number(),
    enabled: z.number(),
    updated: z.number(),
    serviceAccounts: z.number(),
    groupChanges: z.number(),
    driftCorrections: z.number(),
    adopted: z.number().optional().describe("Existing accounts and groups taken over instead of created (brownfield adoption)."),
    orphansDisabled: z.number().optional().describe("Accounts nobody owns that policy disables in this run."),
    orphansRemoved: z.number().optional().describe("Accounts nobody owns that policy removes in this run."),
    steps: z.record(z.string(), z.number()).describe("Every engine step by operation, the `same` and `refresh` steps each resource gets included."),
  }),
  people: z.array(PersonChangeSchema),
  groups: z.array(z.strictObject({ target: z.string(), key: z.string(), op: z.string(), added: z.array(z.string()), removed: z.array(z.string()) })),
  adoptions: z.array(AdoptionSchema.extend({ op: z.string().describe("The engine's step: create (the provider adopts the id), import, or none when the preview shows no step.") })).optional().describe("Existing accounts and groups this run adopts, with what adoption changes on each."),
  orphans: z.array(OrphanSchema.extend({ op: z.string().describe("The engine's step for the action (create, update), or none.") })).optional().describe("Accounts nobody owns, found live, and what policy does with each."),
  risks: z.array(RiskSchema),
  guardrails: z.array(GuardrailVerdictSchema),
  findings: z.array(FindingSchema),
  steps: z
    .array(PlanStepSchema)
    .describe("The engine's steps in its order, except `same` and `refresh` (one per resource, counted in summary.steps): every step the digest covers, and reads and replacement parts."),
});
export type PlanDocument = z.infer<typeof PlanDocumentSchema>;

/**
 * One step of an apply and what really became of it. `done`: the engine reported it, or the
 * read-back after a failed update found the change in place (`readBack`); `failed`: the
 * engine reported an error and the change is still missing; `skipped`: never attempted (it
 * waited on a step that failed) and still missing; `unknown`: no read-back could tell.
 */
export const AppliedStepSchema = z.strictObject({
  op: z.string(),
  urn: z.string(),
  outcome: z.enum(["done", "failed", "skipped", "unknown"]),
  error: z.string().optional().describe("The error the engine or the target reported for this step, in its own words."),
  readBack: z.boolean().optional().describe("The outcome was settled by reading the target after the update, not by the engine's report."),
});
export type AppliedStep = z.infer<typeof AppliedStepSchema>;

/** applied.json: each step's outcome after apply, tied to the plan it executed. */
export const AppliedDocumentSchema = z.strictObject({
  schemaVersion: z.literal(1),
  planDigest: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional().describe("Absent while the update runs: a bundle left so was interrupted."),
  result: z.enum(["started", "succeeded", "failed"]).describe("'started': written before the update; an apply that never got further was interrupted."),
  error: z.string().optional().describe("Why the update failed, in a few lines."),
  log: z.string().optional().describe("The file holding the engine's whole output, relative to the project."),
  recovered: z.array(z.string()).optional().describe("What was left over from an interrupted run and put right before this one."),
  steps: z.array(AppliedStepSchema),
});
export type AppliedDocument = z.infer<typeof AppliedDocumentSchema>;
