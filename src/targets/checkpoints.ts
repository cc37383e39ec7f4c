import { targetNamed } from "./registry.js";

/**
 * Whether a stack may skip Pulumi's per-step checkpoints (PULUMI_SKIP_CHECKPOINTS): the file
 * backend rewrites the whole state after every step, which makes an apply's cost grow with
 * the square of the people. Only when every target of the stack converges when a killed
 * update is simply run again from the state before it (each target's
 * `convergesWithoutCheckpoints`: a create finds and adopts what the lost run made, a delete of
 * something already gone succeeds, membership changes are set-like). The crash semantics per
 * target: README, "When a step fails, or a run is killed".
 */
export function skipCheckpoints(targets: readonly string[]): boolean {
  return targets.length > 0 && targets.every((t) => targetNamed(t)?.convergesWithoutCheckpoints === true);
}
