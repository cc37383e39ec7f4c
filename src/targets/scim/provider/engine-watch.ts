import * as grpc from "@grpc/grpc-js";

export interface EngineWatchOptions {
  /** The engine's gRPC address from the command line or Handshake. */
  engineAddress?: string | undefined;
  onGone: (why: string) => void;
  /** How often the parent pid is compared; a cheap syscall. */
  parentPollMs?: number;
  /** How often the engine's gRPC health service is asked. */
  healthPollMs?: number;
  /** The process whose death means the engine is gone (the engine starts us directly). */
  parentPid?: number;
  currentParentPid?: () => number;
}

/**
 * The provider must not outlive its engine: a `kill -9` of the engine would otherwise leave us
 * running, orphaned, possibly mid-write. Two signals, whichever comes first:
 * - the parent pid changes (we were re-parented to init or a subreaper: the engine died);
 * - the engine's gRPC health service (every Pulumi gRPC server registers grpc.health.v1)
 *   becomes unreachable. Pulumi's Go providers poll it every five minutes and exit on any
 *   error but UNIMPLEMENTED (pkg/resource/provider/main.go, rpcutil.Healthcheck); we poll
 *   more often and count only an unreachable engine, twice in a row, so a loaded machine's
 *   slow answer is never mistaken for a dead engine.
 */
export function watchEngine(options: EngineWatchOptions): () => void {
  const currentParent = options.currentParentPid ?? (() => process.ppid);
  const parent = options.parentPid ?? currentParent();
  const timers: NodeJS.Timeout[] = [];
  let client: grpc.Client | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    for (const t of timers) clearInterval(t);
    client?.close();
  };
  const gone = (why: string) => {
    if (stopped) return;
    stop();
    options.onGone(why);
  };

  timers.push(setInterval(() => currentParent() !== parent && gone(`parent process ${parent} exited`), options.parentPollMs ?? 1_000).unref());

  if (options.engineAddress) {
    client = new grpc.Client(options.engineAddress, grpc.credentials.createInsecure());
    const healthClient = client;
    let unreachable = 0;
    let inFlight = false;
    timers.push(
      setInterval(() => {
        if (inFlight) return;
        inFlight = true;
        const deadline = Date.now() + 10_000;
        // HealthCheckRequest{} encodes as zero bytes; the answer's content does not matter.
        healthClient.makeUnaryRequest(
          "/grpc.health.v1.Health/Check",
          () => Buffer.alloc(0),
          (b: Buffer) => b,
          {},
          { deadline },
          (err) => {
            inFlight = false;
            unreachable = err?.code === grpc.status.UNAVAILABLE ? unreachable + 1 : 0;
            if (unreachable >= 2) gone(`the engine at ${options.engineAddress} is unreachable`);
          },
        );
      }, options.healthPollMs ?? 5_000).unref(),
    );
  }
  return stop;
}
