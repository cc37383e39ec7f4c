/**
 * Identities over time: a generated organisation goes through a sequence of roster changes
 * (leavers, rows dropping out, rehires, reordering, new namesakes, renames), each compile
 * taking the previous one's ledger as the stack record would carry it. Whatever happens to
 * anyone else, nobody's login or email moves, and nothing once given to one worker ID is
 * ever given to another.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile/compile.js";
import { addDays } from "../../src/compile/dates.js";
import type { DesiredState } from "../../src/model/desired-state.js";
import type { Inputs } from "../../src/model/inputs.js";
import type { Located, Worker } from "../../src/model/person.js";
import { AS_OF, FAMILY_NAMES, GIVEN_NAMES, ROSTER_FILE, inputsArb } from "./arbitraries.js";

const RUNS = { numRuns: 40 };

type Step =
  | { kind: "leave" | "drop" | "rehire" | "rename"; pick: number; family: number }
  | { kind: "reorder"; seed: number }
  | { kind: "namesake"; pick: number; id: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom("leave" as const, "drop" as const, "rehire" as const, "rename" as const), pick: fc.nat(), family: fc.nat() }),
  fc.record({ kind: fc.constant("reorder" as const), seed: fc.nat() }),
  fc.record({ kind: fc.constant("namesake" as const), pick: fc.nat(), id: fc.integer({ min: 1_000_000, max: 9_999_999 }) }),
);

const scenarioArb = fc.tuple(inputsArb({ maxWorkers: 20 }), fc.constantFrom("keep" as const, "follow" as const), fc.array(stepArb, { minLength: 1, maxLength: 8 }));

/** Applies one change to the roster; `gone` holds the rows that dropped out, for rehires. Returns who was renamed. */
function change(roster: Worker[], gone: Worker[], step: Step, day: string): { roster: Worker[]; renamed?: string } {
  const nth = <T>(list: T[], n: number) => list[n % list.length];
  switch (step.kind) {
    case "leave": {
      const who = nth(roster, step.pick);
      return { roster: roster.map((w) => (w === who ? { ...w, status: "terminated" as const } : w)) };
    }
    case "drop": {
      const who = nth(roster, step.pick);
      if (!who) return { roster };
      gone.push(who);
      return { roster: roster.filter((w) => w !== who) };
    }
    case "rehire": {
      const back = nth(gone, step.pick) ?? nth(roster.filter((w) => w.status === "terminated"), step.pick);
      if (!back) return { roster };
      gone.splice(gone.indexOf(back), 1);
      const { endDate: _ended, ...rest } = back;
      return { roster: [...roster.filter((w) => w.workerId !== back.workerId), { ...rest, status: "active", startDate: day }] };
    }
    case "rename": {
      const who = nth(roster, step.pick);
      if (!who) return { roster };
      const familyName = FAMILY_NAMES[step.family % FAMILY_NAMES.length]!;
      return { roster: roster.map((w) => (w === who ? { ...w, familyName } : w)), renamed: who.workerId };
    }
    case "reorder": {
      const keyed = roster.map((w, i) => [((i + 1) * 2654435761 + step.seed) % 4294967296, w] as const);
      return { roster: keyed.sort((a, b) => a[0] - b[0]).map(([, w]) => w) };
    }
    case "namesake": {
      const model = nth(roster, step.pick) ?? { givenName: GIVEN_NAMES[0], familyName: FAMILY_NAMES[0] };
      const id = `W${step.id}`;
      if (roster.some((w) => w.workerId === id)) return { roster };
      return { roster: [...roster, { workerId: id, givenName: model.givenName!, familyName: model.familyName!, workerType: "employee", status: "active", startDate: day }] };
    }
  }
}

const located = (roster: Worker[]): Located<Worker>[] => roster.map((value, i) => ({ value, at: { file: ROSTER_FILE, line: i + 2 } }));

describe("identities never move", () => {
  it("over sequences of roster changes: no login or email changes but one's own rename under renames: follow; none goes to another worker ID; compile stays deterministic", () => {
    fc.assert(
      fc.property(scenarioArb, ([generated, renames, steps]) => {
        const policy = { ...generated.policy, identity: { ...generated.policy.identity, renames } };
        const run = (roster: Worker[], previous: DesiredState | undefined, day: string) => {
          const inputs: Inputs = { ...generated, policy, roster: located(roster), ...(previous ? { previous: { identities: previous.identities } } : {}) };
          const desired = compile(inputs, day);
          expect(JSON.stringify(compile(structuredClone(inputs), day)), "deterministic").toBe(JSON.stringify(desired));
          return desired;
        };
        const everOwned = new Map<string, string>();
        const remember = (d: DesiredState) => {
          for (const [workerId, { login, email }] of Object.entries(d.identities.assigned)) {
            for (const key of [`login:${login}`, `email:${email}`]) {
              const owner = everOwned.get(key) ?? workerId;
              expect(owner, `${key} moved from ${owner} to ${workerId}`).toBe(workerId);
              everOwned.set(key, workerId);
            }
          }
        };

        let roster = generated.roster.map((r) => r.value);
        const gone: Worker[] = [];
        let desired = run(roster, undefined, AS_OF);
        remember(desired);
        steps.forEach((step, i) => {
          const day = addDays(AS_OF, i + 1);
          const next = change(roster, gone, step, day);
          const after = run(next.roster, desired, day);
          for (const [workerId, was] of Object.entries(desired.identities.assigned)) {
            const now = after.identities.assigned[workerId];
            expect(now, `${workerId} lost its assignment`).toBeDefined();
            if (renames === "follow" && next.renamed === workerId) continue;
            expect({ workerId, login: now!.login, email: now!.email }).toEqual({ workerId, login: was.login, email: was.email });
          }
          // The people compiled carry exactly the ledger's values; a row that ended before it was
          // ever given an account claims nothing and is not in the ledger (identity.ts).
          for (const person of after.people.filter((p) => p.id in after.identities.assigned)) expect([person.login, person.email]).toEqual([after.identities.assigned[person.id]!.login, after.identities.assigned[person.id]!.email]);
          remember(after);
          roster = next.roster;
          desired = after;
        });
      }),
      RUNS,
    );
  });

  it("the ledger does not depend on the roster's row order", () => {
    fc.assert(
      fc.property(inputsArb({ maxWorkers: 20 }), fc.nat(), (inputs, seed) => {
        const first = compile(inputs, AS_OF);
        const shuffled = [...inputs.roster].sort((a, b) => ((a.at.line * 2654435761 + seed) % 97) - ((b.at.line * 2654435761 + seed) % 97));
        const again = compile({ ...inputs, roster: shuffled.map((r, i) => ({ value: r.value, at: { file: ROSTER_FILE, line: i + 2 } })), previous: { identities: first.identities } }, AS_OF);
        expect(again.identities).toEqual(first.identities);
      }),
      RUNS,
    );
  });
});
