import type * as pulumi from "@pulumi/pulumi";

/**
 * A list input holding outputs, given to a resource as a promise of the list. The SDK labels each
 * input's promises with the input turned into a string (runtime/rpc.js, transferProperties) and
 * keeps them as long as the resource: an array turns into each of its outputs' 600-character
 * toString warning — 140 MB for the groups of 10,000 people's initial apply. A promise is
 * "[object Promise]", and its list is still serialised element by element, so an element still
 * unknown in a preview leaves the others known.
 */
export function listInput<T>(items: pulumi.Input<T>[]): Promise<pulumi.Input<T>[]> {
  return Promise.resolve(items);
}
