import type { z } from "zod";
import { awsTarget } from "./aws/index.js";
import { azureAdTarget } from "./azuread/index.js";
import { oktaTarget } from "./okta/index.js";
import { scimTarget } from "./scim/index.js";
import type { AnyTarget, HeldKind, TargetSchemas } from "./target.js";

/**
 * Every target rolecall knows, in the order their sections appear in each schema and their
 * components are declared. Adding a target is its folder and one line here.
 */
export const TARGETS = [scimTarget, oktaTarget, azureAdTarget, awsTarget] as const;

type Registered = (typeof TARGETS)[number];

/** The registered targets seen alike. */
export const ALL_TARGETS: readonly AnyTarget[] = TARGETS as unknown as readonly AnyTarget[];

/** The target of that name; undefined for a name no target has. */
export function targetNamed(name: string): AnyTarget | undefined {
  return ALL_TARGETS.find((t) => t.name === name);
}

/** One schema of every target as the optional fields of an object, keyed by target name. */
export type TargetShape<K extends keyof TargetSchemas> = { [T in Registered as T["name"]]: z.ZodOptional<T["schemas"][K]> };

export function targetShape<K extends keyof TargetSchemas>(kind: K): TargetShape<K> {
  return Object.fromEntries(TARGETS.map((t) => [t.name, t.schemas[kind].optional()])) as unknown as TargetShape<K>;
}

/** Every kind of held item any target has, once each, in registry order (groups first). */
export function heldKinds(): HeldKind[] {
  const byKind = new Map<string, HeldKind>();
  for (const t of ALL_TARGETS) for (const h of t.held) if (!byKind.has(h.kind)) byKind.set(h.kind, h);
  return [...byKind.values()];
}
