import { z } from "zod";
import { IsoDate, Slug } from "./common.js";
import { RoleId } from "./role.js";

/** A non-human identity: it lives only while its owner is active and its expiry has not passed. */
export const ServiceAccountSchema = z
  .object({
    id: Slug,
    owner: z.string().min(1).describe("Worker ID of the accountable person."),
    purpose: z.string().min(1),
    expires: IsoDate,
    roles: z.array(RoleId).default([]),
  })
  .strict();
export type ServiceAccount = z.infer<typeof ServiceAccountSchema>;

/** `service-accounts/*.yaml`. */
export const ServiceAccountsFileSchema = z
  .object({ $schema: z.string().optional(), serviceAccounts: z.array(ServiceAccountSchema) })
  .strict();
