import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, it } from "vitest";
import { ownerOf, protectChanges, toUnprotect } from "../../../src/engine/state-sync.js";

const urn = (type: string, name: string) => `urn:pulumi:local::rolecall::rolecall:targets:AzureAd$${type}::${name}`;

describe("protection follows policy", () => {
  it("a resource belongs to the identity it is named by, or to the holder of `<item>/<holder>`", () => {
    expect(ownerOf(urn("azuread:index/user:User", "W1001"))).toBe("W1001");
    expect(ownerOf(urn("azuread:index/directoryRoleAssignment:DirectoryRoleAssignment", "global-admin/W1001"))).toBe("W1001");
  });

  it("unprotects exactly the resources of managed identities that policy no longer protects", () => {
    const resources = [
      { urn: urn("azuread:index/user:User", "W1001"), type: "azuread:index/user:User", protect: true },
      { urn: urn("azuread:index/directoryRoleAssignment:DirectoryRoleAssignment", "global-admin/W1001"), type: "x", protect: true },
      { urn: urn("azuread:index/user:User", "W1002"), type: "azuread:index/user:User", protect: true },
      { urn: urn("azuread:index/group:Group", "engineering"), type: "azuread:index/group:Group", protect: true },
      { urn: urn("azuread:index/user:User", "W1003"), type: "azuread:index/user:User", protect: false },
    ];
    expect(toUnprotect(resources, new Set(["W1002"]), new Set(["W1001", "W1002", "W1003"]))).toEqual([resources[0]!.urn, resources[1]!.urn]);
  });

  it("sees a change of protection alone, which previews do not count as a change", () => {
    const pre = (old: boolean, now: boolean): EngineEvent =>
      ({ sequence: 0, timestamp: 0, resourcePreEvent: { metadata: { op: "same", urn: "u", type: "t", old: { protect: old }, new: { protect: now } } } }) as unknown as EngineEvent;
    expect(protectChanges([pre(false, true)])).toEqual(["u"]);
    expect(protectChanges([pre(true, true), pre(false, false)])).toEqual([]);
  });
});
