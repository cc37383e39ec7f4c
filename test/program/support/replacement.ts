import { readFileSync } from "node:fs";
import type { Declared } from "./capture.js";

/** The fixture scripts/replacement-facts.mjs writes from the providers' source and the packages' typings. */
export interface ReplacementFacts {
  providers: Record<string, { package: string; types: Record<string, { source: string; forceNew: string[]; inPlace: string[] }> }>;
}

export const facts = JSON.parse(readFileSync(new URL("../fixtures/replace-on-change.json", import.meta.url), "utf8")) as ReplacementFacts;

function factsOf(type: string): { forceNew: string[]; inPlace: string[] } | undefined {
  for (const provider of Object.values(facts.providers)) {
    const found = provider.types[type];
    if (found) return found;
  }
  // Providers and rolecall's own components hold no target object.
  if (type.startsWith("pulumi:providers:") || type.startsWith("rolecall:")) return { forceNew: [], inPlace: [] };
  return undefined;
}

/** The inputs that force a replacement of `type`, from the provider facts; throws for a type the fixture lacks. */
export function replacingInputs(type: string): readonly string[] {
  const found = factsOf(type);
  if (!found) throw new Error(`no replacement facts for ${type}: add it to scripts/replacement-facts.mjs and run it`);
  return found.forceNew;
}

/** Whether the facts know `input` of `type` at all (forcing a new resource or updated in place). */
export function isKnownInput(type: string, input: string): boolean {
  const found = factsOf(type);
  return found !== undefined && (found.forceNew.includes(input) || found.inPlace.includes(input));
}

/**
 * What the engine would replace going from one declaration to the next: for each resource
 * declared in both (same type and name), the changed inputs that force a new resource. A
 * resource whose name or type changed shows as deleted and created, the other way a replacement happens.
 */
export function replacements(before: Declared[], after: Declared[]): { replaced: Record<string, string[]>; created: string[]; deleted: string[] } {
  const key = (d: Declared) => `${d.type}::${d.name}`;
  const old = new Map(before.map((d) => [key(d), d]));
  const now = new Map(after.map((d) => [key(d), d]));
  const replaced: Record<string, string[]> = {};
  for (const [urn, d] of now) {
    const was = old.get(urn);
    if (!was) continue;
    const forcing = replacingInputs(d.type).filter((input) => JSON.stringify(was.inputs[input]) !== JSON.stringify(d.inputs[input]));
    if (forcing.length > 0) replaced[urn] = forcing;
  }
  return {
    replaced,
    created: [...now.keys()].filter((k) => !old.has(k)).sort(),
    deleted: [...old.keys()].filter((k) => !now.has(k)).sort(),
  };
}
