import * as grpc from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { watchEngine } from "../../../src/targets/scim/provider/engine-watch.js";

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe("watchEngine: the provider never outlives its engine", () => {
  it("reports the engine gone when our parent process changes (the engine was killed)", async () => {
    let parent = 100;
    const reasons: string[] = [];
    const stop = watchEngine({ parentPid: 100, currentParentPid: () => parent, parentPollMs: 5, onGone: (why) => reasons.push(why) });
    await new Promise((r) => setTimeout(r, 30));
    expect(reasons).toEqual([]);
    parent = 1;
    await until(() => reasons.length > 0);
    stop();
    expect(reasons).toEqual(["parent process 100 exited"]);
  });

  it("reports the engine gone when its gRPC address stops answering, but not while it answers", async () => {
    const server = new grpc.Server();
    // An engine without the health service answers UNIMPLEMENTED: alive.
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    const reasons: string[] = [];
    const stop = watchEngine({ engineAddress: `127.0.0.1:${port}`, healthPollMs: 20, parentPollMs: 60_000, onGone: (why) => reasons.push(why) });
    await new Promise((r) => setTimeout(r, 150));
    expect(reasons).toEqual([]);
    server.forceShutdown();
    await until(() => reasons.length > 0);
    stop();
    expect(reasons).toEqual([`the engine at 127.0.0.1:${port} is unreachable`]);
  });
});
