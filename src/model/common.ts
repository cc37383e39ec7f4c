import { z } from "zod";

/** A calendar date as written in every desired-state file and HR export: YYYY-MM-DD. */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "not a calendar date");

/** Keys that end up in Pulumi resource names: stable, lower-case, dash-separated. */
export const Slug = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, "use lower-case letters, digits and dashes, starting with a letter");
