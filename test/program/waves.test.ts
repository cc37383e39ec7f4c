import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { declareInWaves, EngineStoppedAnswering } from "../../src/targets/waves.js";

/** A resource the mocked engine answers when the test says so: how long the engine takes is up to the test. */
class Thing extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:index:Thing", name, {});
  }
}

interface Engine {
  /** Registrations received and not answered yet, by name. */
  unanswered: Map<string, { answer: () => void }>;
  received: string[];
  mostUnanswered: number;
}

let engine: Engine;
const runState = () => (createRequire(import.meta.url)("@pulumi/pulumi/runtime/state.js") as { getStore(): { terminated: boolean } }).getStore();
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

beforeEach(async () => {
  engine = { unanswered: new Map(), received: [], mostUnanswered: 0 };
  runState().terminated = false;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) =>
        new Promise((resolve) => {
          engine.received.push(args.name);
          engine.unanswered.set(args.name, { answer: () => resolve({ id: `id-${args.name}`, state: {} }) });
          engine.mostUnanswered = Math.max(engine.mostUnanswered, engine.unanswered.size);
        }),
      call: () => ({}),
    },
    "rolecall",
    "test",
    false,
  );
});

/** Answers every registration waiting, in the order they came, until `done` settles. */
async function engineAnswering(done: Promise<unknown>): Promise<void> {
  let finished = false;
  void done.finally(() => (finished = true)).catch(() => undefined);
  while (!finished) {
    for (const [name, pending] of engine.unanswered) {
      engine.unanswered.delete(name);
      pending.answer();
    }
    await tick();
  }
}

describe("declaring resources in waves", () => {
  it("declares every item, in order, with never more registrations unanswered than the window", async () => {
    const names = Array.from({ length: 100 }, (_, i) => `thing-${String(i).padStart(3, "0")}`);
    const declaring = declareInWaves(names, (name) => new Thing(name), 8);
    await engineAnswering(declaring);
    const declared = await declaring;

    expect(declared).toHaveLength(100);
    expect(engine.received).toEqual(names);
    expect(engine.mostUnanswered).toBeLessThanOrEqual(8);
    expect(engine.mostUnanswered).toBeGreaterThan(1);
  });

  it("stops, rather than wait forever, when the engine shuts its monitor with registrations unanswered", async () => {
    const names = Array.from({ length: 30 }, (_, i) => `thing-${i}`);
    const declaring = declareInWaves(names, (name) => new Thing(name), 4);
    declaring.catch(() => undefined);
    await tick();
    // What the SDK does when the engine answers "monitor shutting down": it marks the run terminated
    // and never settles those registrations (runtime/resource.js, resolveURN).
    runState().terminated = true;

    await expect(declaring).rejects.toBeInstanceOf(EngineStoppedAnswering);
    expect(engine.received).toHaveLength(4);
  });
});
