import * as grpc from "@grpc/grpc-js";
import engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb.js";
import enginePb from "@pulumi/pulumi/proto/engine_pb.js";

/** Diagnostics about one resource that an operator (or auditor) must see, such as an adoption. */
export interface ProviderLog {
  info(message: string, urn: string): void;
}

/**
 * Sends diagnostics to the engine, which shows them beside the resource in `pulumi up` and in
 * its event stream. Plugin stderr is only visible at high verbosity, so it is the fallback
 * before the engine's address is known or when the engine cannot be reached.
 */
export class EngineLog implements ProviderLog {
  #client: InstanceType<typeof engineGrpc.EngineClient> | undefined;
  #address: string | undefined;

  connect(address: string): void {
    if (address === "" || address === this.#address) return;
    this.#client?.close();
    this.#address = address;
    this.#client = new engineGrpc.EngineClient(address, grpc.credentials.createInsecure());
  }

  info(message: string, urn: string): void {
    const client = this.#client;
    if (!client) {
      process.stderr.write(`${message}\n`);
      return;
    }
    const request = new enginePb.LogRequest();
    request.setSeverity(enginePb.LogSeverity.INFO);
    request.setMessage(message);
    request.setUrn(urn);
    client.log(request, (err) => {
      if (err) process.stderr.write(`${message}\n`);
    });
  }

  close(): void {
    this.#client?.close();
    this.#client = undefined;
  }
}
