import { describe, expect, it } from "vitest";
import { PRESETS, resolveSource } from "../../../src/load/hr-presets.js";
import { readRoster } from "../../../src/load/hr-roster.js";
import { HrSourceSchema, PERSON_FIELDS, type HrSource } from "../../../src/model/hr-source.js";

const csv = (rows: string[][]) => rows.map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(",")).join("\r\n") + "\r\n";

describe("Workday preset", () => {
  const source: HrSource = { file: "workers.csv", preset: "workday" };
  const header = ["EmployeeID", "ContingentWorkerID", "FirstName", "LastName", "PreferredFirstName", "EmailAddress", "LocationIdentifier", "ManagerReference", "BusinessTitle", "WorkerType", "Active", "StatusHireDate", "StatusTerminationDate"];

  it("maps the connector's columns and words, contingent workers by their own ID", async () => {
    const text = csv([
      header,
      ["21001", "", "Ada", "King", "Addie", "ada.king@example.com", "BER-01", "", "VP Engineering", "Regular", "1", "2019-06-01-07:00", ""],
      ["", "C-5001", "Bob", "Stone", "", "", "LON-02", "21001", "Consultant", "Contractor", "1", "2024-02-01", "2024-12-31"],
      ["21002", "", "Cy", "Lee", "", "", "BER-01", "21001", "Engineer", "Intern", "0", "2023-07-01", "2024-06-30-07:00"],
    ]);
    const { workers, findings } = await readRoster("hr/workers.csv", text, source);
    expect(findings).toEqual([]);
    expect(workers.map((w) => w.value)).toEqual([
      { workerId: "21001", givenName: "Ada", familyName: "King", preferredName: "Addie", email: "ada.king@example.com", location: "BER-01", title: "VP Engineering", workerType: "employee", status: "active", startDate: "2019-06-01" },
      { workerId: "C-5001", givenName: "Bob", familyName: "Stone", location: "LON-02", managerId: "21001", title: "Consultant", workerType: "contractor", status: "active", startDate: "2024-02-01", endDate: "2024-12-31" },
      { workerId: "21002", givenName: "Cy", familyName: "Lee", location: "BER-01", managerId: "21001", title: "Engineer", workerType: "intern", status: "terminated", startDate: "2023-07-01", endDate: "2024-06-30" },
    ]);
    expect(workers.map((w) => w.at.line)).toEqual([2, 3, 4]);
  });

  it("reads a Report-as-a-Service JSON export (rows under Report_Entry, booleans as booleans)", async () => {
    const text = JSON.stringify(
      { Report_Entry: [{ EmployeeID: "21001", FirstName: "Ada", LastName: "King", WorkerType: "Regular", Active: true, StatusHireDate: "2019-06-01" }, { EmployeeID: "21002", FirstName: "Cy", LastName: "Lee", WorkerType: "Regular", Active: false, StatusHireDate: "2019-06-01", StatusTerminationDate: "2024-01-31" }] },
      null,
      2,
    );
    const { workers, findings } = await readRoster("hr/workers.json", text, { ...source, file: "workers.json" });
    expect(findings).toEqual([]);
    expect(workers.map((w) => [w.value.workerId, w.value.status, w.at.line])).toEqual([
      ["21001", "active", 3],
      ["21002", "terminated", 11],
    ]);
  });

  it("says the preset expects a column the export lacks, and how to override it", async () => {
    const { findings } = await readRoster("hr/workers.csv", csv([["Worker_ID", "FirstName", "LastName", "StatusHireDate"], ["1", "A", "B", "2020-01-01"]]), source);
    expect(findings).toContainEqual(expect.objectContaining({ severity: "error", code: "hr-missing-column", message: "the export has no column 'EmployeeID' or 'ContingentWorkerID' for workerId", hint: expect.stringContaining("workday preset") }));
    // Every other column the preset maps is missing too: each an error until set to null.
    expect(findings.filter((f) => f.code === "hr-missing-column")).toHaveLength(9);
    const absent = { preferredName: null, email: null, location: null, managerId: null, title: null, workerType: null, status: null, endDate: null };
    const fixed = await readRoster("hr/workers.csv", csv([["Worker_ID", "FirstName", "LastName", "StatusHireDate"], ["1", "A", "B", "2020-01-01"]]), { ...source, columns: { workerId: "Worker_ID", ...absent } });
    expect(fixed.findings).toEqual([]);
    expect(fixed.workers[0]?.value.workerId).toBe("1");
  });
});

describe("BambooHR preset", () => {
  const source: HrSource = { file: "employees.csv", preset: "bamboohr" };
  const header = ["employeeNumber", "firstName", "lastName", "preferredName", "workEmail", "department", "division", "location", "supervisorEId", "jobTitle", "employmentStatus", "status", "hireDate", "terminationDate"];
  const rows = [
    ["100", "José", "Müller", "Pepe", "jose@example.com", "Engineering", "EMEA", "Berlin", "", "CTO", "Full-Time", "Active", "2018-01-15", "0000-00-00"],
    ["101", "Ann", "Lee", "", "", "Sales", "EMEA", "London", "100", "Account Executive", "Part-Time", "Active", "2021-03-01", ""],
    ["102", "Raj", "Patel", "", "", "Engineering", "APAC", "Remote", "100", "Contract Developer", "Contractor", "Active", "2024-01-08", "2024-12-20"],
    ["103", "Mia", "Wong", "", "", "Marketing", "EMEA", "Berlin", "101", "Marketing Intern", "Intern", "Active", "2025-06-02", "2025-09-30"],
    ["104", "Tom", "Berg", "", "", "Finance", "EMEA", "Berlin", "100", "Accountant", "Terminated", "Inactive", "2019-02-01", "2024-05-31"],
  ];

  it("maps the field names and words of BambooHR's employee fields", async () => {
    const { workers, findings } = await readRoster("hr/employees.csv", csv([header, ...rows]), source);
    expect(findings).toEqual([]);
    expect(workers.map((w) => [w.value.workerId, w.value.workerType, w.value.status, w.value.managerId, w.value.endDate])).toEqual([
      ["100", "employee", "active", undefined, undefined],
      ["101", "employee", "active", "100", undefined],
      ["102", "contractor", "active", "100", "2024-12-20"],
      ["103", "intern", "active", "101", "2025-09-30"],
      ["104", "employee", "terminated", "100", "2024-05-31"],
    ]);
    expect(workers[0]!.value).toMatchObject({ givenName: "José", familyName: "Müller", preferredName: "Pepe", email: "jose@example.com", department: "Engineering", location: "Berlin", title: "CTO" });
    expect(workers.every((w) => w.value.costCenter === undefined)).toBe(true);
  });

  it("lets source.yaml override the preset per field and per word", async () => {
    const custom: HrSource = { ...source, columns: { costCenter: "division" }, values: { workerType: { Contractor: "employee" }, status: { "On Leave": "leave" } } };
    const text = csv([header, rows[2]!, ["105", "Eve", "Ng", "", "", "Sales", "EMEA", "Paris", "101", "AE", "Full-Time", "On Leave", "2022-01-01", ""]]);
    const { workers, findings } = await readRoster("hr/employees.csv", text, custom);
    expect(findings).toEqual([]);
    expect(workers.map((w) => [w.value.workerId, w.value.workerType, w.value.status, w.value.costCenter])).toEqual([
      ["102", "employee", "active", "APAC"],
      ["105", "employee", "leave", "EMEA"],
    ]);
  });

  it("reads a custom-report JSON export (rows under employees)", async () => {
    const text = JSON.stringify({ title: "Directory", fields: [{ id: "firstName" }], employees: [{ employeeNumber: 100, firstName: "Ann", lastName: "Lee", employmentStatus: "Full-Time", status: "Active", hireDate: "2021-03-01" }] }, null, 1);
    const { workers, findings } = await readRoster("hr/employees.json", text, { ...source, file: "employees.json" });
    expect(findings).toEqual([]);
    expect(workers).toMatchObject([{ value: { workerId: "100", workerType: "employee" }, at: { line: 9 } }]);
  });
});

describe("resolveSource", () => {
  it("without a preset, reads each field from its own column name unless mapped", async () => {
    const resolved = resolveSource({ file: "r.csv", columns: { workerId: "ID" } });
    expect(resolved.columns.workerId).toEqual(["ID"]);
    expect(resolved.columns.givenName).toEqual(["givenName"]);
    expect(resolved.values).toEqual({ status: {}, workerType: {} });
    expect(resolved.jsonRecords).toBeUndefined();
  });

  it("keeps every preset's columns within the person fields and its words within rolecall's", async () => {
    for (const preset of Object.values(PRESETS)) {
      for (const field of Object.keys(preset.columns)) expect(PERSON_FIELDS).toContain(field);
      expect(HrSourceSchema.safeParse({ file: "x.csv", values: preset.values }).success).toBe(true);
    }
  });

  it("accepts the known presets in hr/source.yaml and nothing else", async () => {
    expect(HrSourceSchema.safeParse({ file: "x.csv", preset: "workday" }).success).toBe(true);
    expect(HrSourceSchema.safeParse({ file: "x.csv", preset: "bamboohr", json: { records: "employees" } }).success).toBe(true);
    expect(HrSourceSchema.safeParse({ file: "x.csv", preset: "personio" }).success).toBe(false);
  });
});
