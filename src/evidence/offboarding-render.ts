import type { OffboardingProof, ProofVerdict, TargetVerdict } from "../model/offboarding.js";
import type { Segment } from "./render-shared.js";

/** Rows of the proof shown in plan.md and plan.html; offboarding.json holds every one. */
export const PROOF_ROW_LIMIT = 200;

export const PROOF_VERDICT: Record<ProofVerdict, { icon: string; symbol: string; label: string }> = {
  proven: { icon: "✅", symbol: "✓", label: "proven" },
  failed: { icon: "❌", symbol: "✗", label: "failed" },
  unverified: { icon: "⚠️", symbol: "!", label: "unverified" },
};

/** The proof as both renderers show it: a headline, then one row per identity and target. */
export interface ProofView {
  headline: Segment[];
  headers: string[];
  rows: { verdict: ProofVerdict; cells: Segment[][] }[];
  omitted: number;
}

export function proofView(proof: OffboardingProof, limit = PROOF_ROW_LIMIT): ProofView {
  const all = proof.people.flatMap((p) => p.targets.map((t) => ({ p, t })));
  // What is not proven first: a reader must not scroll past a hundred proven rows to find it.
  const order: Record<ProofVerdict, number> = { failed: 0, unverified: 1, proven: 2 };
  const sorted = [...all].sort((a, b) => order[a.t.verdict] - order[b.t.verdict]);
  const rows = sorted.slice(0, limit).map(({ p, t }) => ({
    verdict: t.verdict,
    cells: [[PROOF_VERDICT[t.verdict].label], [{ code: p.id }], [p.state === "removed" ? "gone from the roster" : p.state], [{ code: t.target }], [t.checkedAt ?? "not read"], foundSegments(t)],
  }));
  return { headline: headline(proof), headers: ["Verdict", "Identity", "State", "Target", "Checked at", "Found"], rows, omitted: all.length - rows.length };
}

function headline(proof: OffboardingProof): Segment[] {
  const n = proof.people.length;
  const who = `${n} ${n === 1 ? "identity" : "identities"} whose access ended in this run`;
  if (n === 0) return ["Nobody's access ended in this run: nothing to prove."];
  const failed = proof.people.filter((p) => p.verdict === "failed").length;
  const unverified = proof.people.filter((p) => p.verdict === "unverified").length;
  const parts: Segment[] = [`${PROOF_VERDICT[proof.verdict].icon} ${PROOF_VERDICT[proof.verdict].label}: ${who}, read back live from every enabled target`];
  if (failed > 0) parts.push(`; ${failed} still ${failed === 1 ? "holds" : "hold"} access`);
  if (unverified > 0) parts.push(`; ${unverified} could not be checked everywhere`);
  for (const u of proof.unread) parts.push("; ", { code: u.target }, ` not read: ${u.reason}`);
  if (proof.readBack) parts.push(`; fast-path read-back ${proof.readBack.proven ? "as declared" : `found ${proof.readBack.differences.length} difference(s)`}`);
  parts.push(".");
  return parts;
}

function foundSegments(t: TargetVerdict): Segment[] {
  if (t.verdict === "unverified" && t.accounts.length === 0) return [t.problems.join("; ")];
  const parts: Segment[] = [];
  const sep = () => parts.length > 0 && parts.push("; ");
  for (const a of t.accounts) {
    sep();
    parts.push("account ", { code: a.userName }, a.active === undefined ? "" : a.active ? " (enabled)" : " (disabled)");
  }
  for (const h of t.remaining) {
    sep();
    parts.push(`${h.kind} `, { code: h.item }, h.inCatalog ? "" : " (not in the catalog)");
  }
  for (const h of t.kept) {
    sep();
    parts.push(`kept by policy: ${h.kind} `, { code: h.item });
  }
  return parts.length > 0 ? parts : ["nothing"];
}

/** The terminal's lines: the verdict, then every identity and target not proven. */
export function proofText(proof: OffboardingProof, file: string): string[] {
  const n = proof.people.length;
  if (n === 0) return [`Offboarding proof: nobody's access ended in this run (${file})`];
  const lines = [`Offboarding proof: ${PROOF_VERDICT[proof.verdict].label} for ${n} ${n === 1 ? "identity" : "identities"} (${proof.people.map((p) => p.id).slice(0, 10).join(", ")}${n > 10 ? ", …" : ""}): ${file}`];
  for (const p of proof.people) for (const t of p.targets) if (t.verdict !== "proven") lines.push(`  ${PROOF_VERDICT[t.verdict].symbol} ${p.id} in ${t.target}: ${t.verdict} — ${t.problems.join("; ")}`);
  for (const u of proof.unread) lines.push(`  ! ${u.target} not read live: ${u.reason}`);
  return lines;
}
