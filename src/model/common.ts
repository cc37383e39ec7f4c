import { z } from "zod";

/** A calendar date as written in every desired-state file and HR export: YYYY-MM-DD. */
export const IsoDate = z
  .string()
  .refine(
    (s) => {
      const date = new Date(`${s}T00:00:00Z`);
      return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(s);
    },
    "expected a calendar date as YYYY-MM-DD",
  );

/** Keys that end up in Pulumi resource names: stable, lower-case, dash-separated. */
export const Slug = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, "use lower-case letters, digits and dashes, starting with a letter");
