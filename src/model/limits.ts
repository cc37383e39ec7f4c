import { z } from "zod";

const MiB = 1024 * 1024;

/** What the loader reads at most, so a hostile or broken input is refused before it costs memory. */
export const DEFAULT_LIMITS = {
  maxFileBytes: 1 * MiB,
  maxExportBytes: 128 * MiB,
  maxRows: 200_000,
  maxFieldLength: 256,
} as const;

/**
 * `limits` in policy.yaml. policy.yaml itself is always read under the default file limit,
 * since the limits it sets are not known before it is read.
 */
export const LimitsSchema = z
  .object({
    maxFileBytes: z
      .number()
      .int()
      .min(1024)
      .max(64 * MiB)
      .default(DEFAULT_LIMITS.maxFileBytes)
      .describe("Bytes of each YAML file in the desired-state folder."),
    maxExportBytes: z
      .number()
      .int()
      .min(1024)
      .max(2048 * MiB)
      .default(DEFAULT_LIMITS.maxExportBytes)
      .describe("Bytes of the HR export."),
    maxRows: z.number().int().min(1).max(10_000_000).default(DEFAULT_LIMITS.maxRows).describe("Rows (workers) in the HR export."),
    maxFieldLength: z
      .number()
      .int()
      .min(16)
      .max(65_536)
      .default(DEFAULT_LIMITS.maxFieldLength)
      .describe("Characters of each mapped field of a roster row, after NFC normalisation."),
  })
  .strict();
export type Limits = z.infer<typeof LimitsSchema>;

/** Aliases a YAML file may expand; more is a resource-exhaustion attack (billion laughs), not data. */
export const MAX_YAML_ALIASES = 100;

/**
 * A worker ID: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64
 * characters. It becomes part of resource names and external IDs in every target, so nothing
 * that needs escaping or could look like another ID is let in.
 */
export const WORKER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
