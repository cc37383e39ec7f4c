import type { EmploymentStatus, HrPreset, HrSource, PersonField, WorkerType } from "../model/hr-source.js";
import { PERSON_FIELDS } from "../model/hr-source.js";

/**
 * What a preset knows about an HRIS's usual export: the column (or columns, first non-empty
 * wins) for each person field, the words it uses for status and worker type, and where a JSON
 * export keeps its list of workers.
 */
export interface Preset {
  columns: Partial<Record<PersonField, readonly string[]>>;
  values: { status: Record<string, EmploymentStatus>; workerType: Record<string, WorkerType> };
  jsonRecords?: string;
}

/*
 * Why the presets say what they say.
 *
 * Workday — the attribute names of Microsoft Entra's Workday inbound connector, which is what
 * most integration reports and RaaS exports are modelled on.
 *  - workerId: EmployeeID, falling back to ContingentWorkerID. Workday numbers contingent
 *    workers (its contractors) in a separate sequence; a report carrying both columns has one
 *    of them empty on every row, so the first non-empty one is the worker's ID.
 *  - names, email, location, manager, title, worker type and dates: FirstName, LastName,
 *    PreferredFirstName, EmailAddress (the WORK address), LocationIdentifier, ManagerReference
 *    (the manager's worker ID), BusinessTitle, WorkerType, StatusHireDate, StatusTerminationDate.
 *  - department and costCenter stay unmapped: the connector has no flat attribute for either
 *    (they live in the supervisory-organisation and cost-centre hierarchies). Map your report's
 *    columns under `columns` when you have them.
 *  - status: the connector's `Active` flag (1/0, or true/false in JSON). Workday reports
 *    termination through that flag and the termination date, and leave in a separate
 *    structure (LeaveAbsenceType) that a single column cannot express; a report that carries a
 *    worker-status word instead should set `columns.status` and `values.status` ("On Leave" → leave).
 *  - WorkerType holds the worker-type descriptor: Regular/Temporary/Fixed Term are employees of
 *    differing contract length, Contractor/Consultant/Contingent Worker are contingent, Intern.
 *  - A JSON report from Workday's Report-as-a-Service wraps the rows in `Report_Entry`.
 *  - Dates written as xs:date with a zone (2024-01-15-08:00) are read as their calendar day by
 *    the loader for every export, so nothing here is Workday-specific about them.
 *
 * BambooHR — the field names of its API and custom reports.
 *  - workerId: employeeNumber (the company's number, not BambooHR's internal `id`), managerId:
 *    supervisorEId. If your account's supervisorEId holds the internal id instead, the roster's
 *    "unknown manager" finding says so at once: map managerId to the column holding the
 *    supervisor's employee number.
 *  - names, email, department, location, title, dates: firstName, lastName, preferredName,
 *    workEmail, department, location, jobTitle, hireDate, terminationDate. BambooHR writes an
 *    unset date as 0000-00-00; the loader reads that as empty.
 *  - costCenter stays unmapped: `division` is a business-unit grouping, not a cost centre, and
 *    rules written against a misnamed attribute would mislead reviewers. Map it explicitly
 *    (`costCenter: division`) if that is how your company uses it.
 *  - status: `status` is Active or Inactive (Inactive → terminated). BambooHR has no leave
 *    status (leave is time off), so leave cannot come from this export without a custom field.
 *  - workerType: `employmentStatus`. Full-Time/Part-Time/Temporary → employee, Contractor/
 *    Freelance/Consultant → contractor, Intern → intern. BambooHR also files a leaver under
 *    employmentStatus "Terminated": that says nothing about the kind of worker, and the person
 *    is a leaver through `status` and terminationDate anyway, so it is read as employee rather
 *    than rejecting every past leaver's row.
 *  - A JSON custom report lists its rows under `employees`.
 */
export const PRESETS: Record<HrPreset, Preset> = {
  workday: {
    columns: {
      workerId: ["EmployeeID", "ContingentWorkerID"],
      givenName: ["FirstName"],
      familyName: ["LastName"],
      preferredName: ["PreferredFirstName"],
      email: ["EmailAddress"],
      location: ["LocationIdentifier"],
      managerId: ["ManagerReference"],
      title: ["BusinessTitle"],
      workerType: ["WorkerType"],
      status: ["Active"],
      startDate: ["StatusHireDate"],
      endDate: ["StatusTerminationDate"],
    },
    values: {
      status: { "1": "active", "0": "terminated", true: "active", false: "terminated" },
      workerType: {
        Regular: "employee",
        Employee: "employee",
        Temporary: "employee",
        "Fixed Term": "employee",
        Contractor: "contractor",
        Consultant: "contractor",
        "Contingent Worker": "contractor",
        Intern: "intern",
      },
    },
    jsonRecords: "Report_Entry",
  },
  bamboohr: {
    columns: {
      workerId: ["employeeNumber"],
      givenName: ["firstName"],
      familyName: ["lastName"],
      preferredName: ["preferredName"],
      email: ["workEmail"],
      department: ["department"],
      location: ["location"],
      managerId: ["supervisorEId"],
      title: ["jobTitle"],
      workerType: ["employmentStatus"],
      status: ["status"],
      startDate: ["hireDate"],
      endDate: ["terminationDate"],
    },
    values: {
      status: { Active: "active", Inactive: "terminated" },
      workerType: {
        "Full-Time": "employee",
        "Part-Time": "employee",
        Temporary: "employee",
        Contractor: "contractor",
        Freelance: "contractor",
        Consultant: "contractor",
        Intern: "intern",
        Terminated: "employee",
      },
    },
    jsonRecords: "employees",
  },
};

/** `hr/source.yaml` with its preset applied: what the loader actually reads. */
export interface ResolvedSource {
  /** Candidate columns per field, first non-empty value wins; none when mapped to null. */
  columns: Record<PersonField, readonly string[]>;
  /** Fields whose columns come from the preset rather than hr/source.yaml. */
  mappedByPreset: ReadonlySet<PersonField>;
  values: Preset["values"];
  jsonRecords: string | undefined;
}

/**
 * Applies the preset, if any, under the user's settings: a field in `columns` replaces the
 * preset's column(s) for that field (null: the export has no such column); a word in `values`
 * replaces the preset's meaning of that word. A field neither maps is read from a column named
 * like the field itself.
 */
export function resolveSource(source: HrSource): ResolvedSource {
  const preset = source.preset ? PRESETS[source.preset] : undefined;
  const mappedByPreset = new Set<PersonField>();
  const columns = Object.fromEntries(
    PERSON_FIELDS.map((field) => {
      const own = source.columns?.[field];
      if (own === null) return [field, []];
      if (own !== undefined) return [field, [own]];
      const fromPreset = preset?.columns[field];
      if (fromPreset) mappedByPreset.add(field);
      return [field, fromPreset ?? [field]];
    }),
  ) as Record<PersonField, readonly string[]>;
  return {
    columns,
    mappedByPreset,
    values: {
      status: { ...preset?.values.status, ...source.values?.status },
      workerType: { ...preset?.values.workerType, ...source.values?.workerType },
    },
    jsonRecords: source.json?.records ?? preset?.jsonRecords,
  };
}
