import { WORKER_ID_PATTERN } from "../model/limits.js";

/** What is wrong with one identity value: a finding code and the reason, for the row's finding. */
export interface TextProblem {
  code: "hr-invalid-utf8" | "hr-control-character" | "hr-invisible-character" | "hr-mixed-script" | "hr-field-too-long" | "hr-invalid-worker-id";
  reason: string;
  hint: string;
}

/*
 * The script check. A look-alike copy of a person ("Аda" with a Cyrillic А) mixes scripts
 * inside one word; real names do not, except the combinations Unicode's UTS #39 allows for
 * Japanese (Han + Hiragana + Katakana), Korean (Han + Hangul) and Chinese (Han + Bopomofo).
 * Each letter's script comes from the `\p{Script=…}` property; letters of scripts not listed
 * here count as their own "other" script, so they never pass as Latin. Common and Inherited
 * characters (digits, punctuation, combining marks) belong to no script and never mix.
 */
const SCRIPTS = [
  "Latin", "Greek", "Cyrillic", "Armenian", "Hebrew", "Arabic", "Syriac", "Thaana", "Devanagari", "Bengali",
  "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada", "Malayalam", "Sinhala", "Thai", "Lao",
  "Tibetan", "Myanmar", "Georgian", "Hangul", "Ethiopic", "Cherokee", "Khmer", "Mongolian", "Hiragana",
  "Katakana", "Bopomofo", "Han", "Yi", "Tifinagh",
] as const;
const SCRIPT_TESTS = SCRIPTS.map((name) => ({ name, test: new RegExp(`^\\p{Script=${name}}$`, "u") }));
const NO_SCRIPT = /^[\p{Script=Common}\p{Script=Inherited}]$/u;
const ALLOWED_MIXES: readonly (readonly string[])[] = [
  ["Han", "Hiragana", "Katakana"],
  ["Han", "Hangul"],
  ["Han", "Bopomofo"],
];

function scriptOf(char: string): string | undefined {
  if (NO_SCRIPT.test(char)) return undefined;
  return SCRIPT_TESTS.find((s) => s.test.test(char))?.name ?? "other";
}

/** The scripts of the first word that mixes them in a way no writing system does, if any. */
export function mixedScripts(value: string): { word: string; scripts: string[] } | undefined {
  for (const word of value.split(/[^\p{L}\p{M}\p{N}]+/u)) {
    const scripts = new Set<string>();
    for (const char of word) {
      const script = scriptOf(char);
      if (script) scripts.add(script);
    }
    if (scripts.size <= 1) continue;
    const list = [...scripts];
    if (ALLOWED_MIXES.some((mix) => list.every((s) => mix.includes(s)))) continue;
    return { word, scripts: list.sort() };
  }
  return undefined;
}

const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * Checks one mapped value of a roster row (already trimmed and NFC-normalised). `kind` says
 * which rules apply: worker IDs have their own character set; free text may not mix scripts
 * within a word; everything is free of control, invisible and undecodable characters.
 */
export function textProblem(value: string, kind: "worker-id" | "text" | "word", maxLength: number): TextProblem | undefined {
  if (value.includes("\uFFFD")) {
    return { code: "hr-invalid-utf8", reason: "is not valid UTF-8 (the export looks like latin-1 or another legacy encoding)", hint: "export the file as UTF-8" };
  }
  const length = [...value].length;
  if (length > maxLength) {
    return { code: "hr-field-too-long", reason: `is ${length} characters long, more than the limit of ${maxLength}`, hint: "correct the value in the export, or raise limits.maxFieldLength in policy.yaml" };
  }
  const control = /\p{Cc}/u.exec(value)?.[0];
  if (control !== undefined) {
    const what = control === "\u001B" ? "an ANSI escape sequence" : control === "\n" || control === "\r" ? "a line break" : `the control character ${codePoint(control)}`;
    return { code: "hr-control-character", reason: `contains ${what}`, hint: "remove it from the value in the export" };
  }
  // Format characters (zero-width space and joiners, bidi overrides, soft hyphen), private-use,
  // unassigned and lone surrogate code points, and every space but U+0020: invisible, or looking
  // like something they are not.
  const invisible = /[\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]|(?! )\p{Zs}/u.exec(value)?.[0];
  if (invisible !== undefined) {
    return { code: "hr-invisible-character", reason: `contains the invisible or look-alike character ${codePoint(invisible)}`, hint: "remove it from the value in the export" };
  }
  if (kind === "worker-id" && !WORKER_ID_PATTERN.test(value)) {
    return {
      code: "hr-invalid-worker-id",
      reason: "is not a worker ID: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters",
      hint: "correct the ID in the export, or map workerId to the column holding the HRIS's worker number",
    };
  }
  if (kind === "text") {
    const mixed = mixedScripts(value);
    if (mixed) {
      return {
        code: "hr-mixed-script",
        reason: `mixes ${mixed.scripts.join(" and ")} letters in '${mixed.word}' (a look-alike of another spelling)`,
        hint: "retype the value in one script; a look-alike letter makes a second identity for the same person",
      };
    }
  }
  return undefined;
}
