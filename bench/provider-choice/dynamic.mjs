// The SCIM target written the other way issue #2 weighs: as `pulumi.dynamic.Resource`s. The
// provider objects reuse the native provider's own code from dist/ — ScimClient and the
// userType/groupType logic (check, diff, mapping, 409 adoption) — so the variants differ only
// in how the engine reaches that code: a plugin binary for the native provider, a closure
// serialised into every resource's state (`__provider`) for these.
import * as pulumi from "@pulumi/pulumi";
import { groupType } from "../../dist/targets/scim/provider/group.js";
import { userType } from "../../dist/targets/scim/provider/user.js";

const DIST = new URL("../../dist/targets/scim/provider/", import.meta.url).href;

/** Stack config keys the providers' `configure` reads (a dynamic provider is handed all stack config). */
export const CONFIG = { endpoint: "bench:scimEndpoint", token: "bench:scimToken" };

/**
 * A dynamic ResourceProvider around one native resource type, obtained from `loadType` when
 * the provider process configures it.
 *
 * ScimClient is always loaded with a runtime `import()` of dist/: the closure serialiser cannot
 * capture it (it imports `setTimeout` from node:timers/promises, which ends in native code:
 * "could not be serialized because it was a native code function"). Endpoint and token come
 * from stack config through `configure`, as the native provider's come from its provider
 * resource; captured in the closure instead, the token would be stored in plain text in every
 * resource's `__provider`.
 */
function providerFor(loadType) {
  // Shared mutable state lives in an object: the serialiser copies each captured *variable*
  // into every function's own scope, so `let type` assigned in configure would stay
  // undefined in check; a captured object is emitted once and shared.
  const ctx = { type: undefined, deps: undefined };
  const strip = ({ __provider: _p, ...rest }) => rest;
  return {
    async configure({ config }) {
      ctx.type = await loadType();
      const { ScimClient } = await import(`${DIST}client.js`);
      const client = new ScimClient({ endpoint: config.require(CONFIG.endpoint), token: config.require(CONFIG.token) });
      ctx.deps = { client, log: { info: (message) => console.error(message) } };
    },
    async check(_olds, news) {
      return ctx.type.check(strip(news));
    },
    async diff(_id, olds, news) {
      // The dynamic provider protocol carries no detailed diff: only whether something changed.
      return { changes: ctx.type.diff(strip(olds), strip(news)).diffs.length > 0 };
    },
    async create(inputs) {
      const { id, outputs } = await ctx.type.create(ctx.deps, strip(inputs), "");
      return { id, outs: outputs };
    },
    async read(id) {
      const found = await ctx.type.read(ctx.deps, id);
      // An empty id tells the engine the resource is gone.
      return found ? { id, props: found.outputs, inputs: found.inputs } : { id: "", props: {} };
    },
    async update(id, olds, news) {
      return { outs: await ctx.type.update(ctx.deps, id, strip(olds), strip(news)) };
    },
    async delete(id) {
      await ctx.type.delete(ctx.deps, id);
    },
  };
}

/**
 * Two ways to write it. `captured`: the resource logic is captured by the closure, which is
 * what a dynamic provider normally is (the serialiser follows every function it references).
 * `imported`: only a module URL is captured and everything is imported at run time — the
 * smallest `__provider` possible, but the state then names a path on the machine that
 * created it, and a later delete on another machine (CI) cannot find the code.
 *
 * One provider object per type, shared by every resource of that type: the SDK caches the
 * serialised text per provider object, so 1,000 users cost one serialisation, not 1,000.
 */
export const DYNAMIC_PROVIDERS = {
  captured: {
    user: providerFor(async () => userType),
    group: providerFor(async () => groupType),
  },
  imported: {
    user: providerFor(async () => (await import(`${DIST}user.js`)).userType),
    group: providerFor(async () => (await import(`${DIST}group.js`)).groupType),
  },
};

class DynamicScimUser extends pulumi.dynamic.Resource {
  constructor(provider, name, args, opts) {
    super(provider, name, { ...args, scimId: undefined }, opts, "scim", "User");
  }
}

class DynamicScimGroup extends pulumi.dynamic.Resource {
  constructor(provider, name, args, opts) {
    super(provider, name, { ...args, scimId: undefined }, opts, "scim", "Group");
  }
}

/** Mirrors ScimTarget (src/targets/scim/component.ts): same names, parent and inputs. */
export class DynamicScimTarget extends pulumi.ComponentResource {
  constructor(name, { projection, providers }, opts) {
    super("rolecall:targets:Scim", name, {}, opts);
    const users = new Map();
    for (const { key, ...user } of projection.users) {
      users.set(key, new DynamicScimUser(providers.user, key, user, { parent: this }));
    }
    for (const group of projection.groups) {
      const members = group.members.map((m) => users.get(m.user).scimId);
      new DynamicScimGroup(providers.group, group.key, { displayName: group.displayName, externalId: group.key, members }, { parent: this });
    }
    this.registerOutputs({ users: users.size, groups: projection.groups.length });
  }
}
