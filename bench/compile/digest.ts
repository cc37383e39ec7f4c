// The sha256 of a compiled DesiredState, to show an optimisation left the output byte-identical.
// It hashes exactly the bytes of JSON.stringify(state), but writes them piece by piece: at 100k
// workers that string is beyond V8's maximum string length.
//
//   node bench/compile/.build/bench/compile/digest.js <dir> [asOf]
//     prints {"state": <sha256 of the whole state>, "people": <of the people array>, "rest": <of the state without people>}
import { createHash, type Hash } from "node:crypto";
import { compile } from "../../src/compile/compile.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import { AS_OF } from "./generate.js";

/** Feeds JSON.stringify(value)'s bytes to the hashes in chunks; arrays and objects are walked, so no string gets large. */
export function hashJson(value: unknown, hashes: readonly Hash[]): void {
  let buffer = "";
  const put = (s: string) => {
    buffer += s;
    if (buffer.length > 1 << 20) flush();
  };
  const flush = () => {
    for (const h of hashes) h.update(buffer);
    buffer = "";
  };
  const walk = (v: unknown): void => {
    if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON !== "function") {
      if (Array.isArray(v)) {
        put("[");
        v.forEach((item, i) => {
          if (i > 0) put(",");
          // JSON.stringify writes null for what it cannot serialise inside an array.
          if (item === undefined || typeof item === "function" || typeof item === "symbol") put("null");
          else walk(item);
        });
        put("]");
        return;
      }
      put("{");
      let first = true;
      for (const [key, item] of Object.entries(v)) {
        if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
        put(`${first ? "" : ","}${JSON.stringify(key)}:`);
        first = false;
        walk(item);
      }
      put("}");
      return;
    }
    put(JSON.stringify(v));
  };
  walk(value);
  flush();
}

async function main(): Promise<void> {
  const [dir, asOf = AS_OF] = process.argv.slice(2);
  if (!dir) throw new Error("usage: digest.js <desired-state dir> [asOf]");
  const state = compile(await loadDesiredState(dir), asOf);
  const whole = createHash("sha256");
  const people = createHash("sha256");
  const rest = createHash("sha256");
  hashJson(state.people, [people]);
  const { people: _people, ...others } = state;
  hashJson(others, [rest]);
  hashJson(state, [whole]);
  process.stdout.write(JSON.stringify({ state: whole.digest("hex"), people: people.digest("hex"), rest: rest.digest("hex") }) + "\n");
}

if (process.argv[1]?.endsWith("digest.js")) await main();
