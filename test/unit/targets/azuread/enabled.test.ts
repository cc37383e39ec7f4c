import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { holdsEnabled, recordedEnabled } from "../../../../src/targets/azuread/enabled.js";
import { azureAdPrevious } from "../../../../src/targets/azuread/previous.js";

describe("who owns accountEnabled on an existing Entra ID account", () => {
  it.each([
    { case: "active then and now: no transition of rolecall's, a disabled account is someone else's block", wanted: true, recorded: true, revert: false, hold: true },
    { case: "rolecall disabled it (leave, pre-hire, grace) and now enables it", wanted: true, recorded: false, revert: false, hold: false },
    { case: "the record does not say (no record, a record from before states): enabling is not guessed", wanted: true, recorded: undefined, revert: false, hold: true },
    { case: "statusDrift: revert undoes others' blocks", wanted: true, recorded: true, revert: true, hold: false },
    { case: "a disable is always sent", wanted: false, recorded: true, revert: false, hold: false },
    { case: "an account others enabled against the lifecycle is disabled again", wanted: false, recorded: false, revert: false, hold: false },
  ])("$case", ({ wanted, recorded, revert, hold }) => {
    expect(holdsEnabled(wanted, recorded, revert)).toBe(hold);
  });

  it("never holds an account the lifecycle disables, whatever the record and settings", () => {
    fc.assert(fc.property(fc.option(fc.boolean(), { nil: undefined }), fc.boolean(), (recorded, revert) => !holdsEnabled(false, recorded, revert)));
  });

  it("reads rolecall's own enabled state from the record's lifecycle state", () => {
    const record = { accounts: { W1: { state: "active" }, W2: { state: "leave" }, W3: { state: "prehire" }, W4: { state: "leaver" }, sa: {} } } as never;
    expect(["W1", "W2", "W3", "W4", "sa", "W9"].map((k) => recordedEnabled(record, k))).toEqual([true, false, false, false, undefined, undefined]);
    expect(recordedEnabled(undefined, "W1")).toBeUndefined();
  });

  it("reads accountEnabled as the last refresh saw it from the exported state", () => {
    const component = { urn: "urn:pulumi:s::p::rolecall:targets:AzureAd::azuread", type: "rolecall:targets:AzureAd" };
    const user = (name: string, accountEnabled?: boolean) => ({
      urn: `urn:pulumi:s::p::rolecall:targets:AzureAd$azuread:index/user:User::${name}`,
      type: "azuread:index/user:User",
      parent: component.urn,
      outputs: { objectId: `oid-${name}`, ...(accountEnabled === undefined ? {} : { accountEnabled }) },
    });
    const previous = azureAdPrevious({ deployment: { resources: [component, user("W1", false), user("W2", true), user("W3")] } });
    expect(Object.fromEntries(previous.enabled!)).toEqual({ W1: false, W2: true });
  });
});
