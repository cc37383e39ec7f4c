import { z } from "zod";
import { RoleId } from "./role.js";

/** `policy.yaml`: the organisation's rules about identities, lifecycle and guardrails. */
export const PolicySchema = z
  .object({
    $schema: z.string().optional(),
    organization: z
      .object({
        domain: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, "a DNS domain such as example.com"),
        timezone: z.string().default("UTC").describe("IANA zone in which dates in the roster are days."),
      })
      .strict(),
    identity: z
      .object({
        loginTemplate: z
          .string()
          .default("{given}.{family}")
          .describe("Placeholders: {given}, {family}, {preferred}, {workerId}; transliterated to ASCII, lower-cased."),
        emailTemplate: z.string().default("{login}@{domain}"),
        useHrEmail: z.boolean().default(true).describe("Prefer the roster's email when it has one."),
      })
      .strict()
      .default({ loginTemplate: "{given}.{family}", emailTemplate: "{login}@{domain}", useHrEmail: true }),
    lifecycle: z
      .object({
        preHireDays: z.number().int().min(0).default(7),
        leaverGraceDays: z.number().int().min(0).default(0),
        onLeave: z.enum(["suspend", "keep-entitlements"]).default("suspend"),
        contractorsNeedEndDate: z.boolean().default(true).describe("A contractor without an end date is an error."),
      })
      .strict()
      .default({ preHireDays: 7, leaverGraceDays: 0, onLeave: "suspend", contractorsNeedEndDate: true }),
    guardrails: z
      .object({
        maxDeprovision: z
          .object({ count: z.number().int().min(0), percent: z.number().min(0).max(100) })
          .strict()
          .default({ count: 10, percent: 10 }),
        minRosterSize: z.number().int().min(0).default(1).describe("Refuse to run on a roster with fewer people (a truncated export)."),
        maxRosterShrinkPercent: z.number().min(0).max(100).default(20).describe("Refuse when the declared people shrink by more than this against what is applied."),
      })
      .strict()
      .default({ maxDeprovision: { count: 10, percent: 10 }, minRosterSize: 1, maxRosterShrinkPercent: 20 }),
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
        maxDays: z.number().int().min(1).default(90),
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
        loginPrefix: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/).default("svc-"),
      })
      .strict()
      .default({ onInvalid: "drop", loginPrefix: "svc-" }),
  })
  .strict();
export type Policy = z.infer<typeof PolicySchema>;
