import { targetNamed } from "./registry.js";

/**
 * The engine's parallelism for a stack: the smallest cap of its targets (each target's
 * `engineParallelism`, from its API limits in its rate-limits.ts), or a lower
 * PULUMI_PARALLEL the operator set. Undefined when no target caps it (the engine's default,
 * GOMAXPROCS × 4, applies). A higher PULUMI_PARALLEL is not honoured: the limits are the APIs'.
 */
export function stackParallelism(targets: readonly string[], requested?: string): number | undefined {
  const caps = targets.map((t) => targetNamed(t)?.engineParallelism).filter((n): n is number => n !== undefined);
  const asked = requested && /^\d+$/.test(requested) && Number(requested) > 0 ? Number(requested) : undefined;
  if (caps.length === 0) return asked;
  const cap = Math.min(...caps);
  return asked === undefined ? cap : Math.min(cap, asked);
}
