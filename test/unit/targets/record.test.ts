import { describe, expect, it } from "vitest";
import { settleRecord, type StackRecord } from "../../../src/targets/record.js";

const account = (displayName: string) => ({ displayName, email: `${displayName.toLowerCase()}@example.com`, kind: "person", protected: false });

describe("the record after an update that failed part-way", () => {
  const previous: StackRecord = {
    asOf: "2026-11-30",
    accounts: { W1: account("One"), W2: account("Two"), W3: account("Three") },
    holdings: { scim: { "group:eng": ["W1", "W2"], "group:admins": ["W1"] }, azuread: { "directoryRole:global-admin": ["W1"] } },
  };
  const declared: StackRecord = {
    asOf: "2026-12-01",
    accounts: { W1: account("One"), W2: account("Twice"), W4: account("Four") },
    holdings: { scim: { "group:eng": ["W1", "W4"], "group:admins": ["W1", "W4"], "group:new": ["W4"] }, azuread: { "directoryRole:global-admin": ["W4"] } },
  };

  it("is the declared record when every step was done", () => {
    expect(settleRecord(previous, declared, [])).toBe(declared);
  });

  it("keeps what was there for every resource whose step did not happen", () => {
    const settled = settleRecord(previous, declared, [
      { target: "scim", name: "W2", account: true },
      { target: "scim", name: "admins", account: false },
      { target: "scim", name: "new", account: false },
      { target: "azuread", name: "global-admin/W4", account: false },
    ]);
    expect(settled.accounts).toEqual({ W1: account("One"), W2: account("Two"), W4: account("Four") });
    expect(settled.holdings.scim).toEqual({ "group:eng": ["W1", "W4"], "group:admins": ["W1"] });
    expect(settled.holdings.azuread).toEqual({ "directoryRole:global-admin": [] });
  });

  it("drops a leaver only once their delete was done", () => {
    expect(settleRecord(previous, declared, [{ target: "scim", name: "W3", account: true }]).accounts.W3).toEqual(account("Three"));
    expect(settleRecord(previous, declared, [{ target: "scim", name: "W2", account: true }]).accounts.W3).toBeUndefined();
  });
});
