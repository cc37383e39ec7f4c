import * as grpc from "@grpc/grpc-js";
import pluginPb from "@pulumi/pulumi/proto/plugin_pb.js";
import providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import providerPb from "@pulumi/pulumi/proto/provider_pb.js";
import emptyPb from "google-protobuf/google/protobuf/empty_pb.js";
import structPb from "google-protobuf/google/protobuf/struct_pb.js";
import type { CheckFailure } from "./check.js";
import { ScimClient } from "./client.js";
import { checkConfig, diffConfig, readConfig, type ProviderConfig } from "./config.js";
import type { PropertyDiffs } from "./diff.js";
import { groupType } from "./group.js";
import { EngineLog } from "./log.js";
import type { ResourceType } from "./resource-type.js";
import { orphanType } from "./orphan.js";
import { GROUP_TYPE, ORPHAN_TYPE, USER_TYPE, packageSchema } from "./schema.js";
import { userType } from "./user.js";
import { UNKNOWN, markSecret, secretKeys, unwrap, type ValueMap } from "./values.js";

const RESOURCE_TYPES: Record<string, ResourceType<ScimClient>> = { [USER_TYPE]: userType, [GROUP_TYPE]: groupType, [ORPHAN_TYPE]: orphanType };

/** The engine's own clients allow 400 MiB; a group of 100k members must fit. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

export interface ProviderServerOptions {
  /** Reported by GetPluginInfo and in the schema. */
  version: string;
  /** From the command line; Handshake and Attach may supply it later. */
  engineAddress?: string | undefined;
  /** Tests swap the HTTP layer here. */
  createClient?: (config: ProviderConfig, signal: AbortSignal) => ScimClient;
}

type Struct = InstanceType<typeof structPb.Struct>;
type UnaryHandler<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

/**
 * The `pulumirpc.ResourceProvider` service. Written against the generated modules rather
 * than `@pulumi/pulumi/provider` because that one ignores the provider's configuration in
 * Configure and cannot return a detailed diff.
 */
class ProviderService {
  readonly #options: ProviderServerOptions;
  readonly #log = new EngineLog();
  readonly #cancel = new AbortController();
  #client: ScimClient | undefined;
  #token: string | undefined;

  constructor(options: ProviderServerOptions) {
    this.#options = options;
    if (options.engineAddress) this.#log.connect(options.engineAddress);
  }

  /** The method table for `grpc.Server.addService`; methods left out answer UNIMPLEMENTED. */
  implementation(): grpc.UntypedServiceImplementation {
    return {
      handshake: this.#unary(async (req: InstanceType<typeof providerPb.ProviderHandshakeRequest>) => {
        this.#log.connect(req.getEngineAddress());
        // Handshake-aware engines require these two to be true (provider.proto, Configure).
        return new providerPb.ProviderHandshakeResponse().setAcceptSecrets(true).setAcceptResources(true);
      }),
      getPluginInfo: this.#unary(async () => new pluginPb.PluginInfo().setVersion(this.#options.version)),
      getSchema: this.#unary(async () =>
        new providerPb.GetSchemaResponse().setSchema(JSON.stringify(packageSchema(this.#options.version))),
      ),
      checkConfig: this.#unary(async (req: InstanceType<typeof providerPb.CheckRequest>) => {
        const failures = checkConfig(values(req.getNews()));
        // The original struct goes back, secret wrapper and all, so the token stays a secret in state.
        return checkResponse(req.getNews() ?? new structPb.Struct(), failures);
      }),
      diffConfig: this.#unary(async (req: InstanceType<typeof providerPb.DiffRequest>) =>
        diffResponse(diffConfig(values(req.getOldInputs() ?? req.getOlds()), values(req.getNews()))),
      ),
      configure: this.#unary(async (req: InstanceType<typeof providerPb.ConfigureRequest>) => {
        const config = readConfig(values(req.getArgs()), new Map(req.getVariablesMap().toArray()));
        this.#token = config.token;
        this.#client = this.#options.createClient
          ? this.#options.createClient(config, this.#cancel.signal)
          : new ScimClient({ ...config, signal: this.#cancel.signal });
        return new providerPb.ConfigureResponse()
          .setAcceptsecrets(true)
          .setAcceptresources(true)
          .setSupportspreview(true)
          .setAcceptoutputs(false);
      }),
      check: this.#unary(async (req: InstanceType<typeof providerPb.CheckRequest>) => {
        const news = decode(req.getNews());
        const { inputs, failures } = resourceType(req.getType(), req.getUrn()).check(news.values);
        return checkResponse(encode(inputs, news.secrets), failures);
      }),
      diff: this.#unary(async (req: InstanceType<typeof providerPb.DiffRequest>) =>
        diffResponse(resourceType(req.getType(), req.getUrn()).diff(values(req.getOlds()), values(req.getNews()))),
      ),
      create: this.#unary(async (req: InstanceType<typeof providerPb.CreateRequest>) => {
        const type = resourceType(req.getType(), req.getUrn());
        const inputs = decode(req.getProperties());
        if (req.getPreview()) {
          return new providerPb.CreateResponse().setProperties(encode({ ...inputs.values, scimId: UNKNOWN }, inputs.secrets));
        }
        const { id, outputs } = await type.create(this.#deps(), inputs.values, req.getUrn());
        return new providerPb.CreateResponse().setId(id).setProperties(encode(outputs, inputs.secrets));
      }),
      read: this.#unary(async (req: InstanceType<typeof providerPb.ReadRequest>) => {
        const found = await resourceType(req.getType(), req.getUrn()).read(this.#deps(), req.getId(), req.getProperties() ? values(req.getProperties()) : undefined);
        // An empty id tells the engine the resource is gone, so refresh drops it from state.
        if (!found) return new providerPb.ReadResponse();
        const secrets = new Set([...decode(req.getProperties()).secrets, ...decode(req.getInputs()).secrets]);
        return new providerPb.ReadResponse()
          .setId(req.getId())
          .setProperties(encode(found.outputs, secrets))
          .setInputs(encode(found.inputs, secrets));
      }),
      update: this.#unary(async (req: InstanceType<typeof providerPb.UpdateRequest>) => {
        const type = resourceType(req.getType(), req.getUrn());
        const news = decode(req.getNews());
        const outputs = req.getPreview()
          ? { ...news.values, scimId: req.getId() }
          : await type.update(this.#deps(), req.getId(), values(req.getOlds()), news.values);
        return new providerPb.UpdateResponse().setProperties(encode(outputs, news.secrets));
      }),
      delete: this.#unary(async (req: InstanceType<typeof providerPb.DeleteRequest>) => {
        await resourceType(req.getType(), req.getUrn()).delete(this.#deps(), req.getId());
        return new emptyPb.Empty();
      }),
      cancel: this.#unary(async () => {
        this.#cancel.abort();
        return new emptyPb.Empty();
      }),
      attach: this.#unary(async (req: InstanceType<typeof pluginPb.PluginAttach>) => {
        this.#log.connect(req.getAddress());
        return new emptyPb.Empty();
      }),
    };
  }

  close(): void {
    this.#cancel.abort();
    this.#log.close();
  }

  #deps() {
    if (!this.#client) throw new Error("the rolecall-scim provider was not configured (no endpoint and token)");
    return { client: this.#client, log: this.#log };
  }

  /** Every error leaves as a gRPC status whose message is scrubbed of the token. */
  #unary<Req, Res>(handle: (request: Req) => Promise<Res>): UnaryHandler<Req, Res> {
    return (call, callback) => {
      handle(call.request).then(
        (response) => callback(null, response),
        (err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          const token = this.#token;
          callback({ code: grpc.status.UNKNOWN, details: token ? message.split(token).join("[redacted]") : message });
        },
      );
    };
  }
}

/** Listens on 127.0.0.1 on a free port; the caller prints the port for the engine. */
export async function startProviderServer(options: ProviderServerOptions): Promise<{ port: number; stop: () => Promise<void> }> {
  const service = new ProviderService(options);
  const server = new grpc.Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  });
  server.addService(providerGrpc.ResourceProviderService, service.implementation());
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      service.close();
      server.tryShutdown(() => resolve());
    });
  return { port, stop };
}

function resourceType(type: string, urn: string): ResourceType<ScimClient> {
  // URN: urn:pulumi:<stack>::<project>::<parent$type>::<name>; older engines send no type field.
  const token = type || (urn.split("::")[2]?.split("$").pop() ?? "");
  const found = RESOURCE_TYPES[token];
  if (!found) throw new Error(`rolecall-scim has no resource type "${token}" (it has ${Object.keys(RESOURCE_TYPES).join(", ")})`);
  return found;
}

function values(struct: Struct | undefined): ValueMap {
  return decode(struct).values;
}

/** Plain values for the resource logic, and which properties were secret so they can be again. */
function decode(struct: Struct | undefined): { values: ValueMap; secrets: Set<string> } {
  const raw = (struct?.toJavaScript() ?? {}) as ValueMap;
  return { values: unwrap(raw) as ValueMap, secrets: secretKeys(raw) };
}

function encode(map: ValueMap, secrets: ReadonlySet<string>): Struct {
  return structPb.Struct.fromJavaScript(markSecret(map, secrets));
}

function checkResponse(inputs: Struct, failures: CheckFailure[]) {
  return new providerPb.CheckResponse()
    .setInputs(inputs)
    .setFailuresList(failures.map((f) => new providerPb.CheckFailure().setProperty(f.property).setReason(f.reason)));
}

const DIFF_KIND = {
  add: providerPb.PropertyDiff.Kind.ADD,
  delete: providerPb.PropertyDiff.Kind.DELETE,
  update: providerPb.PropertyDiff.Kind.UPDATE,
} as const;

function diffResponse({ diffs, detailedDiff }: PropertyDiffs) {
  const response = new providerPb.DiffResponse()
    .setChanges(diffs.length > 0 ? providerPb.DiffResponse.DiffChanges.DIFF_SOME : providerPb.DiffResponse.DiffChanges.DIFF_NONE)
    .setDiffsList(diffs)
    .setHasdetaileddiff(true);
  const map = response.getDetaileddiffMap();
  for (const [path, kind] of Object.entries(detailedDiff)) {
    map.set(path, new providerPb.PropertyDiff().setKind(DIFF_KIND[kind]).setInputdiff(false));
  }
  return response;
}
