import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, it } from "vitest";
import type { Deployment } from "@pulumi/pulumi/automation/index.js";
import { applyStateEdit, encodeRecord, ownerOf, protectChanges, stackOutputs, toUnprotect } from "../../../src/engine/state-sync.js";
import { readPreviousRecord } from "../../../src/targets/record.js";

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

describe("editing the checkpoint", () => {
  const checkpoint = (record: unknown): Deployment => ({
    version: 3,
    deployment: { resources: [{ urn: "urn:pulumi:local::rolecall::pulumi:pulumi:Stack::rolecall-local", type: "pulumi:pulumi:Stack", outputs: { rolecall: record } }] },
  });
  const record = { asOf: "2026-12-01", accounts: { W1: { email: "a@example.com", displayName: "A", kind: "person", protected: false } }, holdings: {} };

  it("leaves a record alone that differs only in key order or in keys JSON drops, so a no-op apply writes no state", () => {
    // A record stored as an object (before it was one string) comes back with its keys sorted.
    const stored = checkpoint(JSON.parse(JSON.stringify({ accounts: { W1: { displayName: "A", email: "a@example.com", kind: "person", protected: false } }, asOf: "2026-12-01", holdings: {} })));
    expect(applyStateEdit(stored, { record: { ...record, identities: undefined } })).toBe(false);
    expect(applyStateEdit(checkpoint(encodeRecord(record)), { record: { ...record, identities: undefined } })).toBe(false);
  });

  it("writes a record that differs in a value, as one string the next run reads back", () => {
    const stored = checkpoint(record);
    const moved = { ...record, accounts: { W1: { ...record.accounts.W1, email: "b@example.com" } } };
    expect(applyStateEdit(stored, { record: moved })).toBe(true);
    const written = (stored.deployment as { resources: { outputs: { rolecall: unknown } }[] }).resources[0]!.outputs.rolecall;
    expect(typeof written).toBe("string");
    expect(stackOutputs(stored).rolecall).toEqual(moved);
  });

  it("keeps the record compressed, reads records written as plain JSON text before, and takes an equal one for no change", () => {
    const many = { ...record, accounts: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`W${i}`, record.accounts.W1])) };
    const encoded = encodeRecord(many);
    expect(encoded.startsWith("gzip+base64:")).toBe(true);
    expect(encoded.length).toBeLessThan(JSON.stringify(many).length / 10);
    expect(stackOutputs(checkpoint(JSON.stringify(many))).rolecall).toEqual(many);
    expect(applyStateEdit(checkpoint(JSON.stringify(many)), { record: many })).toBe(false);
    const plain = checkpoint(JSON.stringify(record));
    expect(applyStateEdit(plain, { record: many })).toBe(true);
    expect(stackOutputs(plain).rolecall).toEqual(many);
  });

  it("reads the record in both forms and refuses one that is not JSON", () => {
    expect(readPreviousRecord(stackOutputs(checkpoint("gzip+base64:bm90IGd6aXA="))).problem).toMatch(/record \(output 'rolecall'\) is not JSON/);
    expect(readPreviousRecord(stackOutputs(checkpoint(record))).record?.accounts?.["W1"]?.email).toBe("a@example.com");
    expect(readPreviousRecord(stackOutputs(checkpoint(encodeRecord(record)))).record?.accounts?.["W1"]?.email).toBe("a@example.com");
    expect(readPreviousRecord(stackOutputs(checkpoint('{"asOf": "2026-12-01", "accou'))).problem).toMatch(/record \(output 'rolecall'\) is not JSON/);
  });
});
