/**
 * `JSON.stringify(value, null, 2)`, byte for byte, in chunks: at 100,000 people the whole
 * DesiredState is longer than the longest string V8 can make. The outer levels are written
 * piece by piece; anything deeper is one ordinary stringify, re-indented.
 */
export function* jsonChunks(value: unknown, depth = 0, splitDepth = 4): Generator<string> {
  const pad = (d: number) => "  ".repeat(d);
  if (depth < splitDepth && Array.isArray(value)) {
    if (value.length === 0) return yield "[]";
    yield "[\n";
    for (let i = 0; i < value.length; i++) {
      yield pad(depth + 1);
      // Like JSON.stringify: undefined and functions in arrays become null.
      yield* value[i] === undefined || typeof value[i] === "function" ? ["null"] : jsonChunks(value[i], depth + 1, splitDepth);
      yield i < value.length - 1 ? ",\n" : "\n";
    }
    return yield `${pad(depth)}]`;
  }
  if (depth < splitDepth && value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON !== "function") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== "function");
    if (entries.length === 0) return yield "{}";
    yield "{\n";
    for (let i = 0; i < entries.length; i++) {
      const [k, v] = entries[i]!;
      yield `${pad(depth + 1)}${JSON.stringify(k)}: `;
      yield* jsonChunks(v, depth + 1, splitDepth);
      yield i < entries.length - 1 ? ",\n" : "\n";
    }
    return yield `${pad(depth)}}`;
  }
  yield (JSON.stringify(value, null, 2) ?? "null").replaceAll("\n", `\n${pad(depth)}`);
}
