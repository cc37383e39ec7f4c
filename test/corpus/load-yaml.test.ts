import { lineOf } from "./harness.js";
import { refusals } from "./load-support.js";

const laughs = (levels: number) => {
  const lines = ["lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (let i = 1; i <= levels; i++) lines.push(`lol${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(", ")}]`);
  return lines.join("\n") + "\n";
};

refusals("YAML as data, with exact places", [
  ["an alias naming no anchor (was a ReferenceError crash)", async (p) => {
    const text = await p.edit("roles/departments.yaml", (t) => t.replace("owner: W1002", "owner: *nobody"));
    return { code: "yaml-alias", file: "roles/departments.yaml", line: lineOf(text, "*nobody") };
  }],
  ["a billion-laughs file is refused at once", async (p) => {
    const text = await p.edit("catalog.yaml", (t) => laughs(9) + t);
    return { code: "yaml-alias-bound", file: "catalog.yaml", line: lineOf(text, "lol1:") };
  }],
  ["an unknown key in a role points at the key, not the role", async (p) => {
    const text = await p.edit("roles/departments.yaml", (t) => t.replace("    owner: W1002\n", "    owner: W1002\n    privilegd: true\n"));
    return { code: "schema", file: "roles/departments.yaml", line: lineOf(text, "privilegd") };
  }],
  ["an unknown key in hr/source.yaml points at the key", async (p) => {
    const text = await p.edit("hr/source.yaml", (t) => t.replace("values:\n", "delimter: ';'\nvalues:\n"));
    return { code: "schema", file: "hr/source.yaml", line: lineOf(text, "delimter") };
  }],
  ["latin-1 bytes in a YAML file", async (p) => {
    const text = await p.read("policy.yaml");
    await p.write("policy.yaml", Buffer.concat([Buffer.from(text), Buffer.from("# caf\xe9\n", "latin1")]));
    return { code: "invalid-utf8", file: "policy.yaml", line: text.split("\n").length };
  }],
]);
