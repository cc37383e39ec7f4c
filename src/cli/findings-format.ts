import type { Finding } from "../model/finding.js";

export type FindingsFormat = "text" | "json" | "github";

/** Findings as a compiler prints them: place first, then what is wrong, then how to fix it. */
export function formatFindings(findings: readonly Finding[], format: FindingsFormat, dir: string): string {
  // dir "": the findings' files are already as the user should see them.
  const file = (f: string) => (dir ? `${dir}/${f}` : f);
  const place = (f: Finding) => (f.file ? `${file(f.file)}${f.line ? `:${f.line}` : ""}` : dir || "rolecall");
  switch (format) {
    case "json":
      return JSON.stringify(findings.map((f) => ({ ...f, file: f.file ? file(f.file) : undefined })), null, 2);
    case "github":
      // Workflow commands: one annotation per finding, shown on the PR's diff.
      return findings
        .map((f) => {
          const level = f.severity === "error" ? "error" : f.severity === "warning" ? "warning" : "notice";
          const props = [f.file ? `file=${escapeProperty(file(f.file))}` : "", f.line ? `line=${f.line}` : "", `title=${escapeProperty(f.code)}`].filter(Boolean).join(",");
          return `::${level} ${props}::${escapeData(f.message + (f.hint ? ` — ${f.hint}` : ""))}`;
        })
        .join("\n");
    default:
      return findings.map((f) => `${place(f)}: ${f.severity}[${f.code}]: ${f.message}${f.hint ? `\n  hint: ${f.hint}` : ""}`).join("\n");
  }
}

function escapeData(s: string): string {
  return s.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replaceAll(":", "%3A").replaceAll(",", "%2C");
}
