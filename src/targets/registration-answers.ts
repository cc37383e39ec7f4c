import type * as pulumi from "@pulumi/pulumi";

// What the engine answered a program's resource registrations, read where the pinned
// @pulumi/pulumi (3.248.0) keeps it: its public API offers `apply`, which never runs on an
// unknown or rejected output, and nothing that tells a registration still in flight from one the
// engine will never answer. Each reader refuses an SDK that does not have what it reads.

/** The parts of the SDK's OutputImpl read here; every `Output` the SDK makes is one. */
interface OutputInternals<T> {
  isKnown?: unknown;
  promise?: (withUnknowns?: boolean) => Promise<T>;
}

function internals<T>(output: pulumi.Output<T>): Required<OutputInternals<T>> {
  const impl = output as unknown as OutputInternals<T>;
  if (!(impl.isKnown instanceof Promise) || typeof impl.promise !== "function") throw new Error("this @pulumi/pulumi does not expose an output's known-ness (Output.isKnown, promise()); rolecall needs the SDK it pins");
  return impl as Required<OutputInternals<T>>;
}

/**
 * Settles when the engine answered the resource's registration, whether it succeeded or failed.
 * The SDK resolves a resource's URN from the engine's answer, or rejects it with the
 * registration's error.
 */
export function answered(resource: pulumi.Resource): Promise<void> {
  return (internals(resource.urn).isKnown as Promise<unknown>).then(
    () => undefined,
    () => undefined,
  );
}

/**
 * The value the engine answered for an output, once it has; undefined while unknown (a preview of
 * a create) or when the registration failed.
 */
export async function answeredValue<T>(output: pulumi.Output<T>): Promise<T | undefined> {
  const impl = internals(output);
  try {
    return (await (impl.isKnown as Promise<boolean>)) ? await impl.promise() : undefined;
  } catch {
    return undefined;
  }
}
