/**
 * Targets whose provider converges when an update killed mid-way is simply run again from
 * the state before it: a create finds and adopts what the lost run made (the SCIM provider
 * matches users and groups by externalId), a delete of something already gone succeeds,
 * and membership changes are set-like. Okta, Entra ID and AWS refuse a second create of the
 * same login until adoption exists for them (issue #9), so their stacks keep a checkpoint
 * per step. The crash semantics per target: README, "When a step fails, or a run is killed".
 */
const CONVERGE_WITHOUT_CHECKPOINTS: ReadonlySet<string> = new Set(["scim"]);

/**
 * Whether a stack may skip Pulumi's per-step checkpoints (PULUMI_SKIP_CHECKPOINTS): the file
 * backend rewrites the whole state after every step, which makes an apply's cost grow with
 * the square of the people. Only when every target of the stack converges without them.
 */
export function skipCheckpoints(targets: readonly string[]): boolean {
  return targets.length > 0 && targets.every((t) => CONVERGE_WITHOUT_CHECKPOINTS.has(t));
}
