import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { CreateGroupCommand, CreateGroupMembershipCommand, CreateUserCommand, IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { CreateAccountAssignmentCommand, CreatePermissionSetCommand, ListInstancesCommand, ProvisionPermissionSetCommand, SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { pluginsFor } from "../../src/engine/plugins.js";
import { ensurePulumiCli } from "../../src/engine/pulumi-cli.js";
import type { AwsTargetSettings } from "../../src/targets/aws/settings.js";
import { readAwsInventory } from "../../src/targets/aws/inventory.js";
import { LiveReadError } from "../../src/targets/live-http.js";
import type { InventoryDocument } from "../../src/model/inventory.js";
import { startMotoServer, type RunningMoto } from "../support/moto-server.js";
import { TempProject } from "./support/project.js";

const REGION = "eu-central-1";
const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };
/** moto's own account: the one it says a provisioned permission set is in. */
const ACCOUNT = "123456789012";

/**
 * A request-level fault in front of moto: answers instead of forwarding when `fault` says so
 * for an operation (X-Amz-Target) and its JSON body.
 */
async function faultProxy(target: string, fault: (operation: string, body: Record<string, unknown>) => { status: number; headers?: Record<string, string>; body: unknown } | undefined): Promise<{ endpoint: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const operation = String(req.headers["x-amz-target"] ?? "");
      const injected = fault(operation, raw.length > 0 ? (JSON.parse(raw.toString()) as Record<string, unknown>) : {});
      if (injected) {
        res.writeHead(injected.status, { "content-type": "application/x-amz-json-1.1", ...injected.headers });
        res.end(JSON.stringify(injected.body));
        return;
      }
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The AWS target's live read against moto's Identity Store and SSO Admin: several pages of users and members, assignments to users and groups. */
describe("AWS IAM Identity Center live inventory, against moto", () => {
  let moto: RunningMoto;
  let settings: AwsTargetSettings;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    moto = await startMotoServer(inject("motoServerBin"));
    const config = { region: REGION, endpoint: moto.endpoint, credentials };
    const store = new IdentitystoreClient(config);
    const admin = new SSOAdminClient(config);
    const instance = (await admin.send(new ListInstancesCommand({}))).Instances![0]!;
    // moto's identity store IDs are not hex, so the settings are built as the schema would leave them, not parsed.
    settings = { region: REGION, identityStoreId: instance.IdentityStoreId!, instanceArn: instance.InstanceArn!, userNameSuffix: "@example.com", maxRetries: 2 };
    const IdentityStoreId = instance.IdentityStoreId!;
    // 230 users: three pages of ListUsers at 100 a page.
    for (let i = 0; i < 230; i++) {
      const worker = `W${2000 + i}`;
      const { UserId } = await store.send(
        new CreateUserCommand({ IdentityStoreId, UserName: `${worker}@example.com`, DisplayName: `Person ${i}`, Name: { GivenName: "Person", FamilyName: String(i) }, Emails: [{ Value: `person.${i}@example.com`, Primary: true, Type: "work" }] }),
      );
      ids[worker] = UserId!;
    }
    const rogue = await store.send(new CreateUserCommand({ IdentityStoreId, UserName: "rogue.admin", DisplayName: "Rogue", Name: { GivenName: "R", FamilyName: "A" } }));
    ids.rogue = rogue.UserId!;
    const everyone = await store.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: "Engineering" }));
    const admins = await store.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: "IT Administrators" }));
    ids.engineering = everyone.GroupId!;
    ids.admins = admins.GroupId!;
    // 150 members: two pages of ListGroupMemberships.
    for (let i = 0; i < 150; i++) await store.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId: everyone.GroupId, MemberId: { UserId: ids[`W${2000 + i}`]! } }));
    await store.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId: admins.GroupId, MemberId: { UserId: ids.rogue } }));
    const InstanceArn = instance.InstanceArn!;
    const adminSet = (await admin.send(new CreatePermissionSetCommand({ InstanceArn, Name: "AdministratorAccess", SessionDuration: "PT1H" }))).PermissionSet!.PermissionSetArn!;
    const readSet = (await admin.send(new CreatePermissionSetCommand({ InstanceArn, Name: "ReadOnly", SessionDuration: "PT8H" }))).PermissionSet!.PermissionSetArn!;
    ids.adminSet = adminSet;
    ids.readSet = readSet;
    await admin.send(new CreatePermissionSetCommand({ InstanceArn, Name: "Unused", SessionDuration: "PT1H" }));
    for (const PermissionSetArn of [adminSet, readSet]) await admin.send(new ProvisionPermissionSetCommand({ InstanceArn, PermissionSetArn, TargetType: "AWS_ACCOUNT", TargetId: ACCOUNT }));
    const assign = (PermissionSetArn: string, PrincipalType: "USER" | "GROUP", PrincipalId: string) =>
      admin.send(new CreateAccountAssignmentCommand({ InstanceArn, PermissionSetArn, TargetType: "AWS_ACCOUNT", TargetId: ACCOUNT, PrincipalType, PrincipalId }));
    await assign(adminSet, "GROUP", ids.admins);
    // Granted by hand, to one person directly: the access the issue says nobody saw.
    await assign(adminSet, "USER", ids.W2007!);
    await assign(readSet, "GROUP", ids.engineering);
    store.destroy();
    admin.destroy();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it("reads every page of users, groups with every member, and the account assignments of users and groups", async () => {
    const live = await readAwsInventory(settings, { endpoint: moto.endpoint, credentials });
    expect(live.accounts).toHaveLength(231);
    expect(live.accounts.find((a) => a.id === ids.W2007)).toEqual({ id: ids.W2007, userName: "W2007@example.com", externalId: "W2007", emails: ["person.7@example.com"], displayName: "Person 7" });
    // Without the suffix the userName is not rolecall's: no worker ID is claimed for it.
    expect(live.accounts.find((a) => a.id === ids.rogue)).toEqual({ id: ids.rogue, userName: "rogue.admin", emails: [], displayName: "Rogue" });
    const groups = live.items.filter((i) => i.kind === "group");
    expect(groups.find((g) => g.displayName === "Engineering")?.members).toHaveLength(150);
    expect(new Set(groups.find((g) => g.displayName === "Engineering")?.members)).toEqual(new Set(Array.from({ length: 150 }, (_, i) => ids[`W${2000 + i}`])));
    expect(groups.find((g) => g.displayName === "IT Administrators")?.members).toEqual([ids.rogue]);
    const assignments = live.items.filter((i) => i.kind === "assignment").sort((a, b) => a.displayName.localeCompare(b.displayName));
    expect(assignments).toEqual([
      { kind: "assignment", id: `${ACCOUNT}/${ids.adminSet}`, displayName: `${ACCOUNT}/AdministratorAccess`, members: [ids.W2007], groups: [ids.admins] },
      { kind: "assignment", id: `${ACCOUNT}/${ids.readSet}`, displayName: `${ACCOUNT}/ReadOnly`, members: [], groups: [ids.engineering] },
    ]);
  });

  it("waits out a throttled page (429, Retry-After) and still reads to the end", async () => {
    let throttled = 0;
    const proxy = await faultProxy(moto.endpoint, (operation, body) => {
      if (operation !== "AWSIdentityStore.ListUsers" || !body.NextToken || throttled > 0) return undefined;
      throttled++;
      return { status: 429, headers: { "retry-after": "1", "x-amzn-errortype": "ThrottlingException" }, body: { __type: "ThrottlingException", message: "Rate exceeded" } };
    });
    try {
      const live = await readAwsInventory(settings, { endpoint: proxy.endpoint, credentials });
      expect(throttled).toBe(1);
      expect(live.accounts).toHaveLength(231);
    } finally {
      await proxy.close();
    }
  });

  it("throws when a page fails mid-paging past its retries, instead of returning the members read so far", async () => {
    const proxy = await faultProxy(moto.endpoint, (operation, body) =>
      operation === "AWSIdentityStore.ListGroupMemberships" && body.NextToken ? { status: 500, body: { __type: "InternalServerException", message: "Internal failure" } } : undefined,
    );
    try {
      const read = readAwsInventory(settings, { endpoint: proxy.endpoint, credentials });
      await expect(read).rejects.toBeInstanceOf(LiveReadError);
      await expect(readAwsInventory(settings, { endpoint: proxy.endpoint, credentials })).rejects.toThrow(/aws: reading the members of group Engineering failed: InternalServerException \(HTTP 500\)/);
    } finally {
      await proxy.close();
    }
  });

  it("throws when access to the assignments is denied", async () => {
    const proxy = await faultProxy(moto.endpoint, (operation) =>
      operation === "SWBExternalService.ListAccountAssignments" ? { status: 400, body: { __type: "AccessDeniedException", message: "User is not authorized to perform: sso:ListAccountAssignments" } } : undefined,
    );
    try {
      await expect(readAwsInventory(settings, { endpoint: proxy.endpoint, credentials })).rejects.toThrow(/assignments of (AdministratorAccess|ReadOnly) in account 123456789012 failed: AccessDeniedException/);
    } finally {
      await proxy.close();
    }
  });
});

/** Stand-in provider plugins: the plugin check only asks the engine what is installed; inventory never starts them. */
async function fakePlugins(home: string, targets: string[]): Promise<void> {
  const cli = await ensurePulumiCli();
  const fake = path.join(home, "fake-plugin");
  await writeFile(fake, "#!/bin/sh\nexit 1\n");
  await chmod(fake, 0o755);
  for (const plugin of pluginsFor(targets)) {
    await promisify(execFile)(cli.command.command, ["plugin", "install", "resource", plugin.name, plugin.version, "--file", fake], { env: { ...process.env, PULUMI_HOME: home, PULUMI_SKIP_UPDATE_CHECK: "true" } });
  }
}

const CLOUD_STACK = (target: string) => `config:
  rolecall:desiredState: desired-state
  rolecall:targets:
${target}`;

/** `rolecall inventory` on a stack whose cloud target has no credentials: exit 2, what to set, no stack trace. */
describe("rolecall inventory on a cloud stack without credentials", () => {
  let project: TempProject;
  let home: string;

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "rolecall-pulumi-home-"));
    const state = path.join(home, "state");
    await mkdir(state);
    const none = path.join(home, "no-such-aws-file");
    project = await TempProject.create({
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: `file://${state}`,
      PULUMI_CONFIG_PASSPHRASE: "test",
      ARM_CLIENT_ID: "",
      ARM_CLIENT_SECRET: "",
      ARM_USE_OIDC: "",
      AWS_ACCESS_KEY_ID: "",
      AWS_SECRET_ACCESS_KEY: "",
      AWS_SESSION_TOKEN: "",
      AWS_PROFILE: "",
      AWS_WEB_IDENTITY_TOKEN_FILE: "",
      AWS_CONTAINER_CREDENTIALS_FULL_URI: "",
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "",
      AWS_SHARED_CREDENTIALS_FILE: none,
      AWS_CONFIG_FILE: none,
      AWS_EC2_METADATA_DISABLED: "true",
    });
    await writeFile(path.join(project.dir, "stacks", "Pulumi.entra.yaml"), CLOUD_STACK("    azuread:\n      tenantId: 00000000-0000-0000-0000-000000000000\n"));
    await writeFile(
      path.join(project.dir, "stacks", "Pulumi.aws.yaml"),
      CLOUD_STACK("    aws:\n      region: eu-central-1\n      identityStoreId: d-1234567890\n      instanceArn: arn:aws:sso:::instance/ssoins-1234567890abcdef\n"),
    );
    await fakePlugins(home, ["azuread", "aws"]);
  });
  afterAll(async () => {
    await project.remove();
    await rm(home, { recursive: true, force: true });
  });

  it.each([
    ["entra", /Entra ID live read has no credentials: ARM_CLIENT_ID is not set/, /hint: set ARM_CLIENT_ID and ARM_CLIENT_SECRET/],
    ["aws", /AWS live read has no credentials/, /hint: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/],
  ])("stack %s: exits 2 naming what to set", async (stack, message, hint) => {
    const result = await project.run("inventory", "--stack", stack);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(hint);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    // The compile's own notes may come first; the refusal is the last two lines.
    expect(result.stderr.trim().split("\n").slice(-2).join("\n")).toMatch(new RegExp(`^rolecall: .*${message.source}.*\n  hint: `));
    expect(result.stdout).toBe("");
  });
});

/**
 * `rolecall inventory --json` end to end on an AWS stack, read from moto through the SDK's
 * AWS_ENDPOINT_URL: accounts made behind rolecall's back are classified against the sample
 * roster, and the group membership and the direct account assignment nothing declares are listed.
 */
describe("rolecall inventory on an AWS stack, against moto", () => {
  let project: TempProject;
  let home: string;
  let moto: RunningMoto;
  const STORE = "d-1234567890";

  beforeAll(async () => {
    moto = await startMotoServer(inject("motoServerBin"));
    const config = { region: REGION, endpoint: moto.endpoint, credentials };
    const store = new IdentitystoreClient(config);
    const admin = new SSOAdminClient(config);
    const InstanceArn = (await admin.send(new ListInstancesCommand({}))).Instances![0]!.InstanceArn!;
    const create = async (UserName: string) => (await store.send(new CreateUserCommand({ IdentityStoreId: STORE, UserName, DisplayName: UserName, Name: { GivenName: "G", FamilyName: "F" } }))).UserId!;
    await create("W1001@example.com");
    await create("W1026@example.com");
    const rogue = await create("rogue.admin");
    const group = (await store.send(new CreateGroupCommand({ IdentityStoreId: STORE, DisplayName: "Platform Administrators" }))).GroupId!;
    await store.send(new CreateGroupMembershipCommand({ IdentityStoreId: STORE, GroupId: group, MemberId: { UserId: rogue } }));
    const PermissionSetArn = (await admin.send(new CreatePermissionSetCommand({ InstanceArn, Name: "AdministratorAccess", SessionDuration: "PT1H" }))).PermissionSet!.PermissionSetArn!;
    await admin.send(new ProvisionPermissionSetCommand({ InstanceArn, PermissionSetArn, TargetType: "AWS_ACCOUNT", TargetId: ACCOUNT }));
    await admin.send(new CreateAccountAssignmentCommand({ InstanceArn, PermissionSetArn, TargetType: "AWS_ACCOUNT", TargetId: ACCOUNT, PrincipalType: "USER", PrincipalId: rogue }));
    store.destroy();
    admin.destroy();

    home = await mkdtemp(path.join(os.tmpdir(), "rolecall-pulumi-home-"));
    const state = path.join(home, "state");
    await mkdir(state);
    project = await TempProject.create({
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: `file://${state}`,
      PULUMI_CONFIG_PASSPHRASE: "test",
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_PROFILE: "",
      AWS_EC2_METADATA_DISABLED: "true",
    });
    await writeFile(
      path.join(project.dir, "stacks", "Pulumi.aws.yaml"),
      CLOUD_STACK(`    aws:\n      region: ${REGION}\n      identityStoreId: ${STORE}\n      instanceArn: ${InstanceArn}\n      userNameSuffix: "@example.com"\n      maxRetries: 2\n`),
    );
    await fakePlugins(home, ["aws"]);
  });
  afterAll(async () => {
    await project?.remove();
    await rm(home, { recursive: true, force: true });
    await moto?.stop();
  });

  it("classifies each account and lists the membership and the direct assignment nothing declares", async () => {
    const result = await project.run("inventory", "--stack", "aws", "--json");
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as InventoryDocument;
    expect(doc.unread).toEqual([]);
    const aws = doc.targets.find((t) => t.target === "aws")!;
    const byName = (userName: string) => aws.accounts.find((a) => a.userName === userName);
    expect(byName("W1001@example.com")).toMatchObject({ class: "linked", identity: "W1001", rule: "externalId" });
    expect(byName("W1026@example.com")).toMatchObject({ class: "leaver-present", identity: "W1026" });
    expect(byName("rogue.admin")).toMatchObject({ class: "orphan" });
    const rogueId = byName("rogue.admin")!.id;
    expect(aws.unmanaged).toContainEqual({ holder: "rogue.admin", account: rogueId, kind: "group", item: "platform-admins", inCatalog: true });
    expect(aws.unmanaged).toContainEqual({ holder: "rogue.admin", account: rogueId, kind: "assignment", item: `${ACCOUNT}/AdministratorAccess`, inCatalog: false });
  });
});
