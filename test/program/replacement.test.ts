import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile/compile.js";
import { loadDesiredState } from "../../src/load/desired-state-dir.js";
import { declareTargets } from "../../src/targets/declare.js";
import type { Registered } from "../support/pulumi-mocks.js";
import type { Declared } from "./support/capture.js";
import { facts, isKnownInput, replacements, replacingInputs } from "./support/replacement.js";

const declared = (type: string, name: string, inputs: Record<string, unknown>): Declared => ({ type, name, inputs, ignoreChanges: [], protect: false, aliases: [] });

const registered: Registered[] = [];
beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: { ...args.inputs, objectId: `oid-${args.name}`, templateId: `tmpl-${args.name}`, result: "pw", userId: `uid-${args.name}`, groupId: `gid-${args.name}`, arn: `arn-${args.name}` } };
      },
      call: () => ({}),
    },
    "rolecall",
    "prod",
    false,
  );
  const desired = compile(await loadDesiredState("desired-state"), "2026-11-25");
  await pulumi.runtime.runInPulumiStack(async () => {
    await declareTargets(desired, {
      okta: { orgName: "example", baseUrl: "okta.com" },
      azuread: { tenantId: "00000000-0000-0000-0000-000000000000" },
      aws: { region: "eu-central-1", identityStoreId: "d-1234567890", instanceArn: "arn:aws:sso:::instance/ssoins-1234567890abcdef" },
    } as Parameters<typeof declareTargets>[1]);
    return {};
  });
  let seen = -1;
  while (seen !== registered.length) {
    seen = registered.length;
    await new Promise((r) => setTimeout(r, 100));
  }
}, 120_000);

const cloud = () => registered.filter((r) => !r.type.startsWith("pulumi:") && !r.type.startsWith("rolecall:"));

describe("the replacement facts the lifecycle tables use", () => {
  it("were read for the provider packages installed (upgrading one needs scripts/replacement-facts.mjs run again)", () => {
    for (const provider of Object.values(facts.providers)) {
      const [name, version] = provider.package.split(" ");
      const installed = JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), "utf8")) as { version: string };
      expect(`${name} ${installed.version}`).toBe(provider.package);
      expect(version).toBeDefined();
    }
  });

  it("know every input rolecall declares on every resource type, as forcing a new resource or not", () => {
    expect(cloud().length).toBeGreaterThan(300);
    const unknown = cloud().flatMap((r) => Object.keys(r.inputs).filter((input) => !isKnownInput(r.type, input)).map((input) => `${r.type} ${input}`));
    expect([...new Set(unknown)]).toEqual([]);
  });

  it("say which of rolecall's inputs force a new resource, type by type: none on accounts and groups, every one on memberships and assignments", () => {
    const forcing: Record<string, string[]> = {};
    for (const r of cloud()) forcing[r.type] = [...new Set([...(forcing[r.type] ?? []), ...Object.keys(r.inputs).filter((i) => replacingInputs(r.type).includes(i))])].sort();
    expect(forcing).toEqual({
      "okta:user/user:User": [],
      "okta:group/group:Group": [],
      "okta:index/userGroupMemberships:UserGroupMemberships": ["userId"],
      "okta:index/userAdminRoles:UserAdminRoles": ["userId"],
      "azuread:index/user:User": [],
      "random:index/randomPassword:RandomPassword": ["length", "minLower", "minNumeric", "minSpecial", "minUpper", "special"],
      "azuread:index/groupWithoutMembers:GroupWithoutMembers": [],
      "azuread:index/groupMember:GroupMember": ["groupObjectId", "memberObjectId"],
      "azuread:index/directoryRole:DirectoryRole": ["displayName"],
      "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment": ["principalObjectId", "roleId"],
      "aws:identitystore/user:User": ["identityStoreId", "userName"],
      "aws:identitystore/group:Group": ["identityStoreId"],
      "aws:identitystore/groupMembership:GroupMembership": ["groupId", "identityStoreId", "memberId"],
      "aws:ssoadmin/permissionSet:PermissionSet": ["instanceArn", "name"],
      "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive": ["instanceArn", "permissionSetArn"],
      "aws:ssoadmin/accountAssignment:AccountAssignment": ["instanceArn", "permissionSetArn", "principalId", "principalType", "targetId", "targetType"],
    });
  });

  it.each([
    { type: "okta:index/userGroupMemberships:UserGroupMemberships", input: "userId" },
    { type: "azuread:index/groupMember:GroupMember", input: "memberObjectId" },
    { type: "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment", input: "principalObjectId" },
    { type: "aws:identitystore/user:User", input: "userName" },
    { type: "aws:ssoadmin/permissionSet:PermissionSet", input: "name" },
  ])("flags a change of $input on $type, which the provider's schema marks as forcing a new resource", ({ type, input }) => {
    const before = [declared(type, "x", { [input]: "a", other: 1 })];
    const after = [declared(type, "x", { [input]: "b", other: 2 })];
    expect(replacements(before, after).replaced).toEqual({ [`${type}::x`]: [input] });
  });

  it("refuses a resource type it has no facts for, rather than calling it safe", () => {
    expect(() => replacingInputs("okta:index/somethingNew:SomethingNew")).toThrow(/no replacement facts/);
    expect(isKnownInput("okta:user/user:User", "notAnInput")).toBe(false);
  });
});
