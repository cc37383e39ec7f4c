import * as pulumi from "@pulumi/pulumi";
import type { Registered } from "../../support/pulumi-mocks.js";

/** A resource as declared: its inputs as the engine received them and the options that shape its diff. */
export interface Declared {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  ignoreChanges: string[];
  protect: boolean;
  aliases: unknown[];
  importId?: string;
}

/**
 * Options of every child of a component, seen through a component-level transformation (the
 * mocks see inputs, not options). Pass `transformations: [capture.transform]` to the component.
 */
export function optionsCapture(): { transform: pulumi.ResourceTransformation; byUrn: Map<string, pulumi.CustomResourceOptions> } {
  const byUrn = new Map<string, pulumi.CustomResourceOptions>();
  return {
    byUrn,
    transform: (args) => {
      byUrn.set(`${args.type}::${args.name}`, args.opts as pulumi.CustomResourceOptions);
      return undefined;
    },
  };
}

export function joinDeclared(registered: Registered[], options: Map<string, pulumi.CustomResourceOptions>): Declared[] {
  return registered.map((r) => {
    const opts = options.get(`${r.type}::${r.name}`) ?? {};
    return {
      type: r.type,
      name: r.name,
      inputs: r.inputs,
      ignoreChanges: [...(opts.ignoreChanges ?? [])],
      protect: opts.protect === true,
      aliases: [...((opts.aliases as unknown[] | undefined) ?? [])],
      ...(opts.import ? { importId: String(opts.import) } : {}),
    };
  });
}

/**
 * The changes a bridged provider plans for a resource that exists: every input whose declared
 * value differs from what the target holds now (the refreshed state), except the ignored ones —
 * pulumi-terraform-bridge removes ignoreChanges paths from the Terraform diff, so for those the
 * provider keeps, and re-sends, what the target holds. An attribute the target holds but the
 * program leaves unset and unignored is planned as removed (`null`): the wipe to avoid.
 * `attributes`: the resource's input names (what the provider's schema lets the program set).
 */
export function plannedChanges(
  declared: Pick<Declared, "inputs" | "ignoreChanges">,
  live: Record<string, unknown>,
  attributes: readonly string[],
): Record<string, unknown> {
  const ignored = new Set(declared.ignoreChanges);
  const changes: Record<string, unknown> = {};
  for (const key of attributes) {
    if (ignored.has(key)) continue;
    const want = declared.inputs[key];
    // A removal is null, not undefined: toEqual would not tell `{ phones: undefined }` from `{}`.
    if (JSON.stringify(want) !== JSON.stringify(live[key])) changes[key] = want === undefined ? null : want;
  }
  return changes;
}
