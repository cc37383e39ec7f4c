import { z } from "zod";

/** A GitHub user (`octocat`) or team (`@acme/security`), written as CODEOWNERS names them. */
const GithubUser = z
  .string()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, "a GitHub user name, without the @");
const GithubTeam = z.string().regex(/^@[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/, "a team as @org/team-slug");

/**
 * `github.yaml`: who each worker is on GitHub, and which team guards what has no role owner.
 * It drives CODEOWNERS (role owners review changes to their roles) and tells the plan
 * workflow which worker opened a pull request.
 */
export const GithubFileSchema = z
  .object({
    $schema: z.string().optional(),
    securityTeam: GithubTeam.describe("Reviews policy.yaml, hr/, this file, the workflows — and anything whose owner has no handle."),
    handles: z.record(z.string().min(1), GithubUser).default({}).describe("Worker ID → GitHub user name."),
  })
  .strict();
export type GithubFile = z.infer<typeof GithubFileSchema>;
