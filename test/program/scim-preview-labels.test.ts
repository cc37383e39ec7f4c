import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, expect, it } from "vitest";
import { compile } from "../../src/compile/compile.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import { ScimTarget } from "../../src/targets/scim/component.js";

/** Registrations the mocked engine holds unanswered, by type: what the SDK keeps meanwhile is what a large run keeps. */
const held = new Map<string, (() => void)[]>();
const runState = () => (createRequire(import.meta.url)("@pulumi/pulumi/runtime/state.js") as { getStore(): { leakCandidates: Set<{ _debugCtx?: string }> } }).getStore();

beforeAll(() =>
  pulumi.runtime.setMocks(
    {
      // A preview: accounts about to be created have no id yet, so their groups name them by reference.
      newResource: (args) =>
        args.type === "rolecall-scim:index:Group"
          ? new Promise((resolve) => held.set(args.type, [...(held.get(args.type) ?? []), () => resolve({ id: "", state: {} })]))
          : { id: "", state: {} },
      call: () => ({}),
    },
    "rolecall",
    "test",
    true,
  ),
);

it("a preview's groups, naming accounts still to be created, keep no string made of those accounts' outputs", async () => {
  const desired = compile(await loadDesiredState("desired-state"), "2026-11-25");
  const target = new ScimTarget("scim", { projection: desired.targets.scim!, endpoint: "https://scim.example.com/v2" });
  while ((held.get("rolecall-scim:index:Group") ?? []).length < desired.targets.scim!.groups.length) await new Promise((r) => setTimeout(r, 10));

  // The SDK labels each pending promise with its input as a string: an array of outputs would be
  // each output's toString warning, ~600 bytes per member, held for as long as the resource.
  const labels = [...runState().leakCandidates].map((p) => p._debugCtx ?? "");
  expect(labels.some((l) => l.startsWith("transferProperty(") && l.includes(", members, "))).toBe(true);
  expect(labels.filter((l) => l.includes("Calling [toString]"))).toEqual([]);

  for (const answer of held.get("rolecall-scim:index:Group")!) answer();
  await target.declared;
});
