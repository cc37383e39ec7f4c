import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Attestation } from "../model/offboarding.js";

/** An identity whose access an applied run ended, as its bundle says. */
export interface Departure {
  id: string;
  kind: "person" | "service-account";
  state: "leaver" | "leave" | "removed";
  reason: string;
  logins: string[];
  bundle: string;
  asOf: string;
}

export class AttestHistoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AttestHistoryError";
  }
}

/** What attest needs of a bundle, loose: bundles of older or newer rolecall versions still say who left. */
const Index = z.object({ files: z.record(z.string(), z.string()) });
const Applied = z.object({ planDigest: z.string(), result: z.string() });
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
 * left in wins. Only
 * applies count (a plan changes nothing; an interrupted apply's leavers are planned again by
 * the next). Every file read must hash as its bundle's files.json says: a history someone
 * edited is refused, not read around.
 */
export async function departuresSince(evidenceDir: string, stack: string, since: string, relativeTo: string): Promise<{ departures: Departure[]; sources: Attestation["sources"] }> {
  const names = (await readdir(evidenceDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const byId = new Map<string, Departure>();
  const sources: Attestation["sources"] = [];
  for (const name of names) {
    const dir = path.join(evidenceDir, name);
    const bundle = path.relative(relativeTo, dir) || dir;
    const indexText = await readFile(path.join(dir, "files.json"), "utf8").catch(() => undefined);
    if (indexText === undefined) continue;
    const index = parse(Index, indexText, `${bundle}/files.json`);
    if (!("applied.json" in index.files)) continue;
    const check = async (file: string) => {
      const actual = await hashFile(path.join(dir, file)).catch(() => {
        throw new AttestHistoryError(`${bundle}/${file} is listed in its files.json but cannot be read: the history has a hole; restore the bundle`);
      });
      if (actual !== index.files[file]) throw new AttestHistoryError(`${bundle}/${file} was changed after it was written; run rolecall evidence verify ${bundle}`);
      return actual;
    };
    const read = async (file: string) => {
      await check(file);
      return readFile(path.join(dir, file), "utf8");
    };
    const applied = parse(Applied, await read("applied.json"), `${bundle}/applied.json`);
    if (applied.result === "started") continue;
    const manifest = parse(Manifest, await read("manifest.json"), `${bundle}/manifest.json`);
    if (manifest.stack !== stack || manifest.asOf < since) continue;
    const files: Record<string, string> = { "manifest.json": index.files["manifest.json"]!, "applied.json": index.files["applied.json"]!, "plan.json": await check("plan.json") };
    // The proof names who left, with their logins; plan.json (streamed, large) is read only for bundles without one.
    const proof = "offboarding.json" in index.files ? Proof.safeParse(JSON.parse(await read("offboarding.json"))) : undefined;
    let people: Omit<Departure, "bundle" | "asOf">[];
    if (proof?.success) {
      if (proof.data.planDigest !== applied.planDigest) throw new AttestHistoryError(`${bundle}: offboarding.json proves another plan than applied.json executed; run rolecall evidence verify ${bundle}`);
      files["offboarding.json"] = index.files["offboarding.json"]!;
      people = proof.data.people;
    } else {
      const plan = parse(Plan, await read("plan.json"), `${bundle}/plan.json`);
      if (plan.digest !== applied.planDigest) throw new AttestHistoryError(`${bundle}: applied.json executed another plan than its plan.json; run rolecall evidence verify ${bundle}`);
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

/** A file's sha256, streamed: a plan.json at 100,000 people is larger than any string. */
async function hashFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function parse<T>(schema: z.ZodType<T>, text: string, where: string): T {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new AttestHistoryError(`${where} is not JSON: the history has a hole; restore the bundle or move it out of the evidence folder`);
  }
  const result = schema.safeParse(data);
  if (!result.success) throw new AttestHistoryError(`${where} is not a rolecall evidence file (${result.error.issues[0]?.path.join(".") ?? ""}: ${result.error.issues[0]?.message ?? ""})`);
  return result.data;
}
