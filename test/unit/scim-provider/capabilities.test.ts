import { describe, expect, it } from "vitest";
import { ASSUMED_CAPABILITIES, MAX_PAGE_SIZE, capabilitiesFrom } from "../../../src/targets/scim/provider/capabilities.js";

describe("capabilitiesFrom (ServiceProviderConfig)", () => {
  it("reads PATCH and filter support and takes the SP's maxResults as the page size", () => {
    expect(capabilitiesFrom({ patch: { supported: false }, filter: { supported: true, maxResults: 250 } })).toEqual({ patch: false, filter: true, pageSize: 250 });
  });

  it("accepts Entra-style string booleans and caps an enormous maxResults", () => {
    expect(capabilitiesFrom({ patch: { supported: "False" }, filter: { supported: "false", maxResults: 10_000_000 } })).toEqual({
      patch: false,
      filter: false,
      pageSize: MAX_PAGE_SIZE,
    });
  });

  it("keeps the assumptions where the document says nothing usable", () => {
    expect(capabilitiesFrom({ filter: { maxResults: -3 } })).toEqual(ASSUMED_CAPABILITIES);
    expect(capabilitiesFrom(undefined)).toEqual(ASSUMED_CAPABILITIES);
  });
});
