/**
 * The message for settings a target does not know — the usual cause is a credential put in
 * the stack file, so it says where credentials go instead.
 */
export function unknownSettings(target: string, known: readonly string[], credentials: string) {
  return (issue: { code?: string; keys?: string[] }): string | undefined => {
    if (issue.code !== "unrecognized_keys" || !issue.keys) return undefined;
    const names = issue.keys.map((k) => `'${k}'`).join(", ");
    return `unknown ${target} setting${issue.keys.length > 1 ? "s" : ""} ${names}: it takes ${known.join(", ")}; credentials come from ${credentials}, never from stack settings`;
  };
}
