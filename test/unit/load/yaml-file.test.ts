import { describe, expect, it } from "vitest";
import { parseYamlFile } from "../../../src/load/yaml-file.js";
import { RolesFileSchema } from "../../../src/model/role.js";

describe("YAML files with positions", () => {
  it("names the line of the unknown key itself, not of its mapping", () => {
    const text = "roles:\n  - id: staff\n    description: Everyone\n    owner: W1\n    privilegd: true\n";
    const { findings } = parseYamlFile("roles/x.yaml", text, RolesFileSchema);
    expect(findings).toMatchObject([{ severity: "error", code: "schema", file: "roles/x.yaml", line: 5 }]);
    expect(findings[0]!.hint).toContain("privilegd");
  });
  it("names the line of a bad value", () => {
    const text = "roles:\n  - id: staff\n    description: Everyone\n    owner: W1\n  - id: Bad Id\n    description: x\n    owner: W1\n";
    const { findings } = parseYamlFile("roles/x.yaml", text, RolesFileSchema);
    expect(findings).toMatchObject([{ code: "schema", line: 5 }]);
  });
  it("reports syntax errors with their line", () => {
    const { findings } = parseYamlFile("roles/x.yaml", "roles:\n  - id: [unclosed\n", RolesFileSchema);
    expect(findings[0]).toMatchObject({ code: "yaml-syntax", file: "roles/x.yaml" });
    expect(findings[0]!.line).toBeGreaterThanOrEqual(2);
  });
});
