import { z } from "zod";
import { addDays } from "../compile/dates.js";
import { effectiveEndDate } from "../compile/lifecycle.js";
import type { DesiredState } from "../model/desired-state.js";
import type { Attestation } from "../model/offboarding.js";
import type { Located, Worker } from "../model/person.js";
import type { Policy } from "../model/policy.js";
import { appliedBundles, HistoryError } from "./history.js";

/** An identity whose access ended: as an applied run's bundle says, or, with no bundle naming it, as today's HR export says. */
export interface Departure {
  id: string;
  kind: "person" | "service-account";
  state: "leaver" | "leave" | "removed";
  reason: string;
  logins: string[];
  /** The applied bundle it left in; null for an HR leaver no applied bundle since the date names. */
  bundle: string | null;
  /** The bundle's as-of date, or today's (the HR export's) when there is no bundle. */
  asOf: string;
}

/** What attest needs of a bundle, loose: bundles of older or newer rolecall versions still say who left. */
const Ending = z.enum(["leaver", "leave", "removed"]);
const Manifest = z.object({ stack: z.string(), asOf: z.string() });
const Plan = z.object({
  digest: z.string(),
  people: z.array(z.object({ id: z.string(), kind: z.enum(["person", "service-account"]), state: z.string(), stateReason: z.string() })),
});
/** A proof of schema 2 or later names every identity it checked; an older fast-path proof does not, and plan.json is read instead. */
const Proof = z.object({
  schemaVersion: z.number().int().min(2),
  planDigest: z.string(),
  people: z.array(z.object({ id: z.string(), kind: z.enum(["person", "service-account"]), state: Ending, reason: z.string(), logins: z.array(z.string()) })),
});

/**
 * Every identity whose access an applied run of the stack ended with an as-of date on or after
 * `since` (manifest.json's asOf), from the stack's evidence folder; the latest run an identity
 * left in wins. Only applies count (a plan changes nothing; an interrupted apply's leavers are
 * planned again by the next). The history is read by src/evidence/history.ts: a bundle without
 * files.json, or with a file that does not verify, is refused, not read around or taken on trust.
 */
export async function departuresSince(evidenceDir: string, stack: string, since: string, relativeTo: string): Promise<{ departures: Departure[]; sources: Attestation["sources"] }> {
  const byId = new Map<string, Departure>();
  const sources: Attestation["sources"] = [];
  for (const b of await appliedBundles(evidenceDir, relativeTo)) {
    const { bundle, applied } = b;
    if (applied.result === "started") continue;
    const manifest = await b.read("manifest.json", Manifest);
    if (manifest.stack !== stack || manifest.asOf < since) continue;
    await b.verify();
    const files: Record<string, string> = {};
    for (const file of ["manifest.json", "applied.json", "plan.json"]) {
      if (!(file in b.files)) throw new HistoryError(`${bundle}/${file}`, "is not listed in its files.json: the history has a hole", `run rolecall evidence verify ${bundle}; restore the bundle`);
      files[file] = b.files[file]!;
    }
    // The proof names who left, with their logins; plan.json (large) is read only for bundles without one.
    const proof = "offboarding.json" in b.files ? Proof.safeParse(await b.read("offboarding.json", z.unknown())) : undefined;
    let people: Omit<Departure, "bundle" | "asOf">[];
    if (proof?.success) {
      if (proof.data.planDigest !== applied.planDigest) throw new HistoryError(`${bundle}/offboarding.json`, "proves another plan than applied.json executed", `run rolecall evidence verify ${bundle}`);
      files["offboarding.json"] = b.files["offboarding.json"]!;
      people = proof.data.people;
    } else {
      const plan = await b.read("plan.json", Plan);
      if (plan.digest !== applied.planDigest) throw new HistoryError(`${bundle}/applied.json`, "executed another plan than its plan.json", `run rolecall evidence verify ${bundle}`);
      people = plan.people.flatMap((p) => {
        const state = Ending.safeParse(p.state);
        return state.success ? [{ id: p.id, kind: p.kind, state: state.data, reason: p.stateReason, logins: [] }] : [];
      });
    }
    for (const p of people) byId.set(p.id, { ...p, bundle, asOf: manifest.asOf });
    sources.push({ bundle, asOf: manifest.asOf, planDigest: applied.planDigest, files });
  }
  return { departures: [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), sources };
}

/**
 * The departures with every leaver in today's HR export added whose grace is over and whose
 * leaving date is on or after `since` — or who is terminated with no date to tell when
 * (fail closed: checked rather than left out). The history alone would miss a leaver whose
 * apply bundle is missing or whose apply never ran, and the live check must not depend on
 * the evidence it checks. One the history names keeps its bundle; one it does not is added
 * with bundle null, and its reason says so. Pure.
 */
export function withRosterLeavers(departures: readonly Departure[], roster: readonly Located<Worker>[], desired: Pick<DesiredState, "asOf" | "people">, policy: Pick<Policy, "lifecycle">, since: string): Departure[] {
  const named = new Set(departures.map((d) => d.id));
  const people = new Map(desired.people.map((p) => [p.id, p]));
  const added: Departure[] = [];
  for (const { value: worker, at } of roster) {
    const person = people.get(worker.workerId);
    if (person?.state !== "leaver" || named.has(person.id)) continue;
    const lastDay = effectiveEndDate(worker);
    if (lastDay !== undefined && (lastDay < since || addDays(lastDay, policy.lifecycle.leaverGraceDays) >= desired.asOf)) continue;
    named.add(person.id);
    const reason = `${person.stateReason} (HR export ${at.file}:${at.line}); no applied evidence bundle since ${since} names it`;
    added.push({ id: person.id, kind: "person", state: "leaver", reason, logins: [], bundle: null, asOf: desired.asOf });
  }
  return [...departures, ...added].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
