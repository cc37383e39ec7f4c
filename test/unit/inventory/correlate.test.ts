import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { correlate } from "../../../src/inventory/correlate.js";
import { renderInventoryText } from "../../../src/inventory/render.js";
import { loadDesiredState } from "../../../src/load/desired-state-dir.js";
import type { LiveAccount, LiveItem } from "../../../src/model/inventory.js";
import { targetNamed } from "../../../src/targets/registry.js";
import type { AnyTarget } from "../../../src/targets/target.js";

const desired = compile(await loadDesiredState("desired-state"), "2026-11-25");
const RULES = ["externalId", "email", "userName"] as const;
const target = (name: string): AnyTarget => targetNamed(name)!;
const [oktaTarget, azureAdTarget, awsTarget] = [target("okta"), target("azuread"), target("aws")];

/** An account as the cloud readers return one: the target's id, the worker ID as externalId. */
const account = (id: string, worker: string): LiveAccount => ({ id, userName: `${worker.toLowerCase()}@example.com`, externalId: worker, emails: [] });

function run(target: AnyTarget, accounts: LiveAccount[], items: LiveItem[]) {
  return correlate({ target: target.name, live: { accounts, items }, desired, rules: RULES, held: target.held, groupHeld: target.groupHeld, readAt: "2026-11-25T00:00:00.000Z" });
}

describe("Okta admin roles, keyed as the live read names them (readOktaInventory: id and displayName are the role type)", () => {
  // W1006 holds help-desk (HELP_DESK_ADMIN) and user-admin (USER_ADMIN) in the sample catalog; W1001 holds neither.
  const accounts = [account("00u6", "W1006"), account("00u1", "W1001")];
  const roles: LiveItem[] = [
    { kind: "adminRole", id: "HELP_DESK_ADMIN", displayName: "HELP_DESK_ADMIN", members: ["00u6"] },
    { kind: "adminRole", id: "USER_ADMIN", displayName: "USER_ADMIN", members: ["00u6", "00u1"] },
    { kind: "adminRole", id: "SUPER_ADMIN", displayName: "SUPER_ADMIN", members: ["00u1"] },
    { kind: "adminRole", id: "CUSTOM:Helpdesk Plus", displayName: "CUSTOM:Helpdesk Plus", members: ["00u6"] },
  ];

  it("does not list a declared holder of a declared role, and names an undeclared holder's role by its catalog key", () => {
    const { inventory } = run(oktaTarget, accounts, roles);
    expect(inventory.unmanaged).toEqual([
      { holder: "W1001", account: "00u1", kind: "adminRole", item: "SUPER_ADMIN", inCatalog: false },
      { holder: "W1001", account: "00u1", kind: "adminRole", item: "user-admin", inCatalog: true },
      { holder: "W1006", account: "00u6", kind: "adminRole", item: "CUSTOM:Helpdesk Plus", inCatalog: false },
    ]);
  });
});

describe("Entra directory roles, keyed as the live read names them (readAzureAdInventory: id the role definition, displayName its name)", () => {
  const USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1";
  it("matches a tenant-wide assignment to the catalog role by display name; a scoped one is not the catalog's", () => {
    const { inventory } = run(
      azureAdTarget,
      [account("u6", "W1006"), account("u1", "W1001")],
      [
        { kind: "directoryRole", id: USER_ADMIN, displayName: "User Administrator", members: ["u6", "u1"] },
        { kind: "directoryRole", id: `${USER_ADMIN}@/administrativeUnits/au1`, displayName: "User Administrator (scope /administrativeUnits/au1)", members: ["u6"] },
      ],
    );
    expect(inventory.unmanaged).toEqual([
      { holder: "W1001", account: "u1", kind: "directoryRole", item: "user-administrator", inCatalog: true },
      { holder: "W1006", account: "u6", kind: "directoryRole", item: "User Administrator (scope /administrativeUnits/au1)", inCatalog: false },
    ]);
  });
});

describe("AWS account assignments held through groups (readAwsInventory: assignments carry users as members, groups as groups)", () => {
  // platform-admins (W1010–W1013) is assigned prod/administrator (111111111111/AdministratorAccess) in the sample catalog.
  const ARN = "arn:aws:sso:::permissionSet/ssoins-1/ps-admin";
  const accounts = [account("u10", "W1010"), account("u01", "W1001"), account("u02", "W1002")];
  const groups: LiveItem[] = [
    { kind: "group", id: "g-admins", displayName: "Platform Administrators", members: ["u10", "u01"] },
    { kind: "group", id: "g-shadow", displayName: "Shadow Ops", members: ["u02"] },
  ];

  it("lists the access a hand-added member gets through a declared group's assignment, and an assignment given by hand to a group", () => {
    const { inventory, findings } = run(awsTarget, accounts, [
      ...groups,
      { kind: "assignment", id: `111111111111/${ARN}`, displayName: "111111111111/AdministratorAccess", members: [], groups: ["g-admins", "g-shadow"] },
    ]);
    expect(findings).toEqual([]);
    expect(inventory.unmanaged).toEqual([
      { holder: "W1001", account: "u01", kind: "assignment", item: "prod/administrator", inCatalog: true, through: "platform-admins" },
      { holder: "W1001", account: "u01", kind: "group", item: "platform-admins", inCatalog: true },
      { holder: "W1002", account: "u02", kind: "assignment", item: "prod/administrator", inCatalog: true, through: "Shadow Ops" },
      { holder: "W1002", account: "u02", kind: "group", item: "Shadow Ops", inCatalog: false },
    ]);
    expect(renderInventoryText({ schemaVersion: 1, stack: "aws", asOf: desired.asOf, correlation: [...RULES], targets: [inventory], unread: [] })).toContain(
      "W1002 holds assignment prod/administrator through group Shadow Ops: nothing declares it",
    );
  });

  it("lists a direct user assignment and a declared group holding an assignment the catalog does not give it", () => {
    const { inventory } = run(awsTarget, accounts, [
      ...groups,
      { kind: "assignment", id: `222222222222/${ARN}`, displayName: "222222222222/AdministratorAccess", members: ["u10"], groups: [] },
      { kind: "assignment", id: "333333333333/arn:ps-billing", displayName: "333333333333/Billing", members: [], groups: ["g-admins"] },
    ]);
    expect(inventory.unmanaged.filter((u) => u.kind === "assignment")).toEqual([
      { holder: "W1001", account: "u01", kind: "assignment", item: "333333333333/Billing", inCatalog: false, through: "platform-admins" },
      { holder: "W1010", account: "u10", kind: "assignment", item: "333333333333/Billing", inCatalog: false, through: "platform-admins" },
      { holder: "W1010", account: "u10", kind: "assignment", item: "staging/administrator", inCatalog: true },
    ]);
  });

  it("refuses to take a group the read did not list for one nobody is in", () => {
    const { findings } = run(awsTarget, accounts, [{ kind: "assignment", id: `111111111111/${ARN}`, displayName: "111111111111/AdministratorAccess", members: [], groups: ["g-gone"] }]);
    expect(findings.map((f) => [f.code, f.severity])).toEqual([["inventory-holder-unread", "error"]]);
  });
});
