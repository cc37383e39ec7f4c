import { AdoptionFileSchema, type AdoptionDecision, type AdoptionFile } from "../model/adoption.js";
import type { Finding } from "../model/finding.js";
import type { Located } from "../model/person.js";
import { readContained } from "./contained-file.js";
import { parseYamlFile } from "./yaml-file.js";

export const ADOPTION_FILE = "adoption.yaml";

/**
 * `adoption.yaml`, the reviewed decisions about disputed accounts: each located at its list
 * item. Absent is no decisions; anything unreadable is a finding (and no decisions are used).
 */
export async function readAdoptionFile(dir: string, maxBytes: number): Promise<{ decisions: Located<AdoptionDecision>[]; findings: Finding[]; sha256?: string }> {
  const result = await readContained(dir, ADOPTION_FILE, maxBytes);
  if ("code" in result) {
    if (result.code === "missing-file") return { decisions: [], findings: [] };
    return { decisions: [], findings: [{ severity: "error", code: result.code, message: result.reason, file: ADOPTION_FILE, hint: "keep adoption.yaml a regular file inside the desired-state folder" }] };
  }
  const text = result.bytes.toString("utf8");
  if (text.includes("\uFFFD")) return { decisions: [], findings: [{ severity: "error", code: "invalid-utf8", message: `${ADOPTION_FILE} is not valid UTF-8`, file: ADOPTION_FILE, hint: "save the file as UTF-8" }], sha256: result.sha256 };
  const parsed = parseYamlFile(ADOPTION_FILE, text, AdoptionFileSchema);
  if (parsed.findings.some((f) => f.severity === "error")) return { decisions: [], findings: parsed.findings, sha256: result.sha256 };
  const decisions = ((parsed.value as AdoptionFile | undefined)?.decisions ?? []).map((value, index) => ({ value, at: { file: ADOPTION_FILE, line: parsed.lineOf(["decisions", index]) } }));
  return { decisions, findings: [...parsed.findings, ...duplicates(decisions)], sha256: result.sha256 };
}

/** One decision per account: two would contradict each other or repeat one. */
function duplicates(decisions: Located<AdoptionDecision>[]): Finding[] {
  const seen = new Map<string, Located<AdoptionDecision>>();
  const findings: Finding[] = [];
  for (const d of decisions) {
    const key = `${d.value.target}\u0000${d.value.account}`;
    const first = seen.get(key);
    if (first) findings.push({ severity: "error", code: "adoption-decision-duplicate", message: `${d.value.target} account ${d.value.account} is decided twice (first at line ${first.at.line})`, ...d.at, hint: "keep one decision per account" });
    else seen.set(key, d);
  }
  return findings;
}
