import { AWS_ENGINE_PARALLELISM } from "./aws/rate-limits.js";
import { OKTA_ENGINE_PARALLELISM } from "./okta/rate-limits.js";

/** The most resource operations each target's API limits allow at once (see each target's rate-limits.ts). */
const TARGET_PARALLELISM: Readonly<Record<string, number>> = {
  okta: OKTA_ENGINE_PARALLELISM,
  aws: AWS_ENGINE_PARALLELISM,
};

/**
 * The engine's parallelism for a stack: the smallest cap of its targets, or a lower
 * PULUMI_PARALLEL the operator set. Undefined when no target caps it (the engine's default,
 * GOMAXPROCS × 4, applies). A higher PULUMI_PARALLEL is not honoured: the limits are the APIs'.
 */
export function stackParallelism(targets: readonly string[], requested?: string): number | undefined {
  const caps = targets.map((t) => TARGET_PARALLELISM[t]).filter((n): n is number => n !== undefined);
  const asked = requested && /^\d+$/.test(requested) && Number(requested) > 0 ? Number(requested) : undefined;
  if (caps.length === 0) return asked;
  const cap = Math.min(...caps);
  return asked === undefined ? cap : Math.min(cap, asked);
}
