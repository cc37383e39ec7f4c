import * as grpc from "@grpc/grpc-js";
import pluginPb from "@pulumi/pulumi/proto/plugin_pb.js";
import providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import providerPb from "@pulumi/pulumi/proto/provider_pb.js";
import emptyPb from "google-protobuf/google/protobuf/empty_pb.js";
import structPb from "google-protobuf/google/protobuf/struct_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProviderServer } from "../../../src/targets/scim/provider/server.js";
import { UNKNOWN } from "../../../src/targets/scim/provider/values.js";
import { scimError, startTestServer, type TestServer } from "./http-fixture.js";
import { ada } from "./inputs.js";

const TOKEN = "tok-5e6f7a8b9c";
const secret = (value: string) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });
const USER_URN = "urn:pulumi:local::rolecall::rolecall-scim:index:User::W1";

type Client = InstanceType<typeof providerGrpc.ResourceProviderClient>;
let scim: TestServer;
let provider: { port: number; stop: () => Promise<void> };
let client: Client;
const users = new Map<string, unknown>();

/** Promisifies one unary call of the generated client. */
function call<Res>(method: string, request: unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    (client as unknown as Record<string, (r: unknown, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method]!(
      request,
      (err, res) => (err ? reject(err) : resolve(res)),
    );
  });
}

const struct = (value: Record<string, unknown>) => structPb.Struct.fromJavaScript(value as Record<string, structPb.JavaScriptValue>);

beforeAll(async () => {
  let next = 0;
  scim = await startTestServer((req) => {
    if (req.headers["authorization"] !== `Bearer ${TOKEN}`) return scimError(401, `rejected ${String(req.headers["authorization"])}`);
    const id = req.url.split("/")[2];
    if (req.method === "POST") {
      const created = { ...(req.json as object), id: `u${++next}` };
      users.set(created.id, created);
      return { status: 201, body: created };
    }
    if (req.method === "GET" && id && users.has(id)) return { status: 200, body: users.get(id) };
    return scimError(404, "not found");
  });
  provider = await startProviderServer({ version: "1.2.3" });
  client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${provider.port}`, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client.close();
  await provider.stop();
  await scim.close();
});

describe("provider gRPC service", () => {
  it("answers Handshake, GetPluginInfo and GetSchema", async () => {
    const hs = await call<InstanceType<typeof providerPb.ProviderHandshakeResponse>>(
      "handshake",
      new providerPb.ProviderHandshakeRequest().setEngineAddress(""),
    );
    expect([hs.getAcceptSecrets(), hs.getAcceptResources(), hs.getAcceptOutputs()]).toEqual([true, true, false]);
    const info = await call<InstanceType<typeof pluginPb.PluginInfo>>("getPluginInfo", new emptyPb.Empty());
    expect(info.getVersion()).toBe("1.2.3");
    const schema = JSON.parse(
      (await call<InstanceType<typeof providerPb.GetSchemaResponse>>("getSchema", new providerPb.GetSchemaRequest())).getSchema(),
    ) as { name: string; version: string; resources: Record<string, unknown>; config: { variables: { token: { secret: boolean } } } };
    expect(schema).toMatchObject({ name: "rolecall-scim", version: "1.2.3" });
    expect(Object.keys(schema.resources)).toEqual(["rolecall-scim:index:User", "rolecall-scim:index:Group", "rolecall-scim:index:OrphanAccount"]);
    expect(schema.config.variables.token.secret).toBe(true);
  });

  it("CheckConfig reports missing keys and hands back the config with the token still secret", async () => {
    const bad = await call<InstanceType<typeof providerPb.CheckResponse>>(
      "checkConfig",
      new providerPb.CheckRequest().setNews(struct({ endpoint: scim.endpoint })),
    );
    expect(bad.getFailuresList().map((f) => f.getProperty())).toEqual(["token"]);
    const good = await call<InstanceType<typeof providerPb.CheckResponse>>(
      "checkConfig",
      new providerPb.CheckRequest().setNews(struct({ endpoint: scim.endpoint, token: secret(TOKEN) })),
    );
    expect(good.getFailuresList()).toEqual([]);
    expect(good.getInputs()?.toJavaScript()).toEqual({ endpoint: scim.endpoint, token: secret(TOKEN) });
  });

  it("refuses resource operations before Configure", async () => {
    await expect(call("read", new providerPb.ReadRequest().setId("u1").setUrn(USER_URN))).rejects.toThrow(/not configured/);
  });

  it("Configure unwraps the secret token, and Create then calls the SP with it", async () => {
    const configured = await call<InstanceType<typeof providerPb.ConfigureResponse>>(
      "configure",
      new providerPb.ConfigureRequest()
        .setArgs(struct({ endpoint: scim.endpoint, token: secret(TOKEN), version: "1.2.3" }))
        .setAcceptsecrets(true)
        .setAcceptresources(true),
    );
    expect([configured.getAcceptsecrets(), configured.getSupportspreview()]).toEqual([true, true]);

    const created = await call<InstanceType<typeof providerPb.CreateResponse>>(
      "create",
      new providerPb.CreateRequest().setUrn(USER_URN).setType("rolecall-scim:index:User").setProperties(struct(ada)),
    );
    expect(created.getId()).toBe("u1");
    expect(created.getProperties()?.toJavaScript()).toEqual({ ...ada, scimId: "u1" });
    expect(scim.requests.at(-1)?.headers["authorization"]).toBe(`Bearer ${TOKEN}`);
  });

  it("hands secret inputs back as secrets from Check and Create", async () => {
    const news = struct({ ...ada, userName: "grace", externalId: "W2", email: secret("grace@example.com") });
    const checked = await call<InstanceType<typeof providerPb.CheckResponse>>("check", new providerPb.CheckRequest().setUrn(USER_URN).setNews(news));
    expect(checked.getInputs()?.toJavaScript()["email"]).toEqual(secret("grace@example.com"));
    const created = await call<InstanceType<typeof providerPb.CreateResponse>>("create", new providerPb.CreateRequest().setUrn(USER_URN).setProperties(news));
    const outputs = created.getProperties()?.toJavaScript() ?? {};
    expect(outputs["email"]).toEqual(secret("grace@example.com"));
    expect(outputs["userName"]).toBe("grace");
    expect(scim.requests.at(-1)?.json).toMatchObject({ emails: [{ value: "grace@example.com" }] });
  });

  it("answers a Create preview without calling the SP", async () => {
    const before = scim.requests.length;
    const preview = await call<InstanceType<typeof providerPb.CreateResponse>>(
      "create",
      new providerPb.CreateRequest().setUrn(USER_URN).setProperties(struct(ada)).setPreview(true),
    );
    expect(preview.getId()).toBe("");
    expect(preview.getProperties()?.toJavaScript()).toMatchObject({ scimId: UNKNOWN });
    expect(scim.requests.length).toBe(before);
  });

  it("Check normalises and reports failures with property and reason", async () => {
    const res = await call<InstanceType<typeof providerPb.CheckResponse>>(
      "check",
      new providerPb.CheckRequest()
        .setUrn("urn:pulumi:local::rolecall::rolecall:scim:Directory$rolecall-scim:index:Group::eng")
        .setNews(struct({ displayName: "Eng", externalId: "", members: ["b", "a", "b"] })),
    );
    expect(res.getInputs()?.toJavaScript()).toMatchObject({ members: ["a\nb"] });
    expect(res.getFailuresList().map((f) => [f.getProperty(), f.getReason()])).toEqual([["externalId", "must be a non-empty string"]]);
  });

  it("Diff returns changed keys and a detailed diff", async () => {
    const res = await call<InstanceType<typeof providerPb.DiffResponse>>(
      "diff",
      new providerPb.DiffRequest()
        .setUrn(USER_URN)
        .setId("u1")
        .setOlds(struct({ ...ada, scimId: "u1" }))
        .setNews(struct({ ...ada, userName: "ada.l", title: "CTO" })),
    );
    expect(res.getChanges()).toBe(providerPb.DiffResponse.DiffChanges.DIFF_SOME);
    expect(res.getDiffsList()).toEqual(["title", "userName"]);
    expect(res.getReplacesList()).toEqual([]);
    expect(res.getHasdetaileddiff()).toBe(true);
    expect(res.toObject().detaileddiffMap.map(([k, v]) => [k, v.kind])).toEqual([
      ["title", providerPb.PropertyDiff.Kind.ADD],
      ["userName", providerPb.PropertyDiff.Kind.UPDATE],
    ]);
    const none = await call<InstanceType<typeof providerPb.DiffResponse>>(
      "diff",
      new providerPb.DiffRequest().setUrn(USER_URN).setId("u1").setOlds(struct({ ...ada, scimId: "u1" })).setNews(struct(ada)),
    );
    expect(none.getChanges()).toBe(providerPb.DiffResponse.DiffChanges.DIFF_NONE);
  });

  it("Read returns live state, and an empty id for a user that is gone", async () => {
    const found = await call<InstanceType<typeof providerPb.ReadResponse>>("read", new providerPb.ReadRequest().setId("u1").setUrn(USER_URN));
    expect(found.getId()).toBe("u1");
    expect(found.getInputs()?.toJavaScript()).toMatchObject({ userName: "ada", externalId: "W1" });
    const gone = await call<InstanceType<typeof providerPb.ReadResponse>>("read", new providerPb.ReadRequest().setId("nope").setUrn(USER_URN));
    expect(gone.getId()).toBe("");
  });

  it("names an unknown resource type", async () => {
    await expect(
      call("check", new providerPb.CheckRequest().setType("rolecall-scim:index:Role").setNews(struct({}))),
    ).rejects.toThrow(/no resource type "rolecall-scim:index:Role"/);
  });

  it("never lets the token out in an error", async () => {
    await call(
      "configure",
      new providerPb.ConfigureRequest().setArgs(struct({ endpoint: scim.endpoint, token: secret("other-token-42") })),
    );
    const err = (await call("read", new providerPb.ReadRequest().setId("u1").setUrn(USER_URN)).catch((e: unknown) => e)) as grpc.ServiceError;
    expect(err.details).toMatch(/HTTP 401/);
    expect(err.details).not.toContain("other-token-42");
  });
});
