import { describe, expect, it } from "vitest";
import { ASSUMED_CAPABILITIES, MAX_PAGE_SIZE, capabilitiesFrom } from "../../../src/targets/scim/provider/capabilities.js";

describe("capabilitiesFrom (ServiceProviderConfig)", () => {
  it("reads PATCH and filter support and takes the SP's maxResults as the page size", () => {
    expect(capabilitiesFrom({ patch: { supported: false }, filter: { supported: true, maxResults: 250 } })).toEqual({ patch: false, filter: true, pageSize: 250, paging: "index" });
  });

  it("accepts Entra-style string booleans and caps an enormous maxResults", () => {
    expect(capabilitiesFrom({ patch: { supported: "False" }, filter: { supported: "false", maxResults: 10_000_000 } })).toEqual({
      patch: false,
      filter: false,
      pageSize: MAX_PAGE_SIZE,
      paging: "index",
    });
  });

  it("takes the smaller of maxResults and RFC 9865's maxPageSize as the page size", () => {
    expect(capabilitiesFrom({ filter: { supported: true, maxResults: 200 }, pagination: { index: true, maxPageSize: 40 } }).pageSize).toBe(40);
    expect(capabilitiesFrom({ pagination: { maxPageSize: 60 } }).pageSize).toBe(60);
  });

  it("pages by cursor only when the SP announces cursors and refuses indexes", () => {
    expect(capabilitiesFrom({ pagination: { cursor: true, index: false } }).paging).toBe("cursor");
    expect(capabilitiesFrom({ pagination: { cursor: "True", index: "False" } }).paging).toBe("cursor");
    expect(capabilitiesFrom({ pagination: { cursor: true, index: true } }).paging).toBe("index");
    expect(capabilitiesFrom({ pagination: { cursor: true } }).paging).toBe("index");
    expect(capabilitiesFrom({ pagination: { cursor: false, index: false } }).paging).toBe("index");
  });

  it("keeps the assumptions where the document says nothing usable", () => {
    expect(capabilitiesFrom({ filter: { maxResults: -3 } })).toEqual(ASSUMED_CAPABILITIES);
    expect(capabilitiesFrom(undefined)).toEqual(ASSUMED_CAPABILITIES);
  });
});
