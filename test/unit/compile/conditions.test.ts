import { describe, expect, it } from "vitest";
import { evaluate } from "../../../src/compile/conditions.js";

const ada = { department: "Engineering", location: "Berlin", workerType: "employee", reportsTo: ["W2", "W1"], isManager: false };

describe("ABAC conditions", () => {
  it("an empty condition matches everyone (birthright)", () => {
    expect(evaluate({}, ada)).toEqual({});
  });
  it("equals and any-of report the value that matched", () => {
    expect(evaluate({ department: "Engineering" }, ada)).toEqual({ department: "Engineering" });
    expect(evaluate({ location: ["London", "Berlin"] }, ada)).toEqual({ location: "Berlin" });
    expect(evaluate({ location: "London" }, ada)).toBeUndefined();
  });
  it("every entry of a mapping must hold", () => {
    expect(evaluate({ department: "Engineering", location: "London" }, ada)).toBeUndefined();
  });
  it("reportsTo is transitive and booleans compare as booleans", () => {
    expect(evaluate({ reportsTo: "W1" }, ada)).toEqual({ reportsTo: "W1" });
    expect(evaluate({ isManager: false }, ada)).toEqual({ isManager: false });
    expect(evaluate({ isManager: true }, ada)).toBeUndefined();
  });
  it("all, any and not combine", () => {
    expect(evaluate({ all: [{ department: "Engineering" }, { not: { location: "London" } }] }, ada)).toEqual({ department: "Engineering" });
    expect(evaluate({ any: [{ location: "London" }, { workerType: "employee" }] }, ada)).toEqual({ workerType: "employee" });
    expect(evaluate({ not: { department: "Engineering" } }, ada)).toBeUndefined();
  });
  it("a missing attribute never matches", () => {
    expect(evaluate({ costCenter: "CC-1" }, ada)).toBeUndefined();
  });
});
