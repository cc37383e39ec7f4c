import * as pulumi from "@pulumi/pulumi";

/** A resource as the mocked engine saw it: type, name, inputs. */
export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/**
 * Installs Pulumi's mocks (project rolecall, stack test, not a preview) and records each resource
 * registration, in the order the engine sees them, into `registered`. A resource's id is
 * `id-<name>`; its state is its inputs plus what `computed` returns for it, the attributes a real
 * provider would compute.
 */
export function recordRegistrations(
  registered: Registered[],
  computed: (args: pulumi.runtime.MockResourceArgs) => Record<string, unknown> = () => ({}),
): Promise<void> {
  // As while rolecall's engine commands run (src/engine/sdk-overhead.ts): the runtime's
  // per-promise stack traces are most of a declaration's CPU; one frame still places a failure.
  Error.stackTraceLimit = 1;
  return pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `id-${args.name}`, state: { ...args.inputs, ...computed(args) } };
      },
      call: () => ({}),
    },
    "rolecall",
    "test",
    false,
  );
}
