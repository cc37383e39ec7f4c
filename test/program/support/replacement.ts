import { readFileSync } from "node:fs";
import type { Declared } from "./capture.js";

interface Facts {
  providers: Record<string, { types: Record<string, string[]> }>;
}

const facts = JSON.parse(readFileSync(new URL("../fixtures/replace-on-change.json", import.meta.url), "utf8")) as Facts;

/** The inputs that force a replacement of `type`, from the vendored provider facts; throws for a type the fixture lacks. */
export function replacingInputs(type: string): readonly string[] {
  for (const provider of Object.values(facts.providers)) {
    const inputs = provider.types[type];
    if (inputs) return inputs;
  }
  // Providers and rolecall's own components hold no target object.
  if (type.startsWith("pulumi:providers:") || type.startsWith("rolecall:")) return [];
  throw new Error(`no replacement facts for ${type}: add it to test/program/fixtures/replace-on-change.json from the provider's source`);
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
