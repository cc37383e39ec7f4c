import { ScimClient } from "../../../src/targets/scim/provider/client.js";
import type { ValueMap } from "../../../src/targets/scim/provider/values.js";
import type { RunningPeer } from "../../support/scim2-server.js";

/** One request the provider sent to a peer, as seen on the wire. */
export interface Seen {
  method: string;
  url: URL;
  body: string;
  status: number;
  /** How many resources a list read answered with. */
  listed: number | undefined;
}

/** A person as the provider's user resource takes it; `base` keeps worker IDs apart between suites. */
export function person(i: number, base: number): ValueMap {
  return {
    userName: `person${i}@example.com`,
    externalId: `W${base + i}`,
    givenName: `Given${i}`,
    familyName: `Family${i}`,
    displayName: `Given${i} Family${i}`,
    email: `person${i}@example.com`,
    active: true,
  };
}

/** The provider's client for `peer`, recording every request into `seen`. */
export function recordingClient(peer: RunningPeer, seen: Seen[]): ScimClient {
  return new ScimClient({
    endpoint: peer.url,
    token: peer.token,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      const url = new URL(String(input));
      const listed = init?.method === "GET" && /\/(Users|Groups)$/.test(url.pathname) ? (((await res.clone().json()) as { Resources?: unknown[] }).Resources ?? []).length : undefined;
      seen.push({ method: init?.method ?? "GET", url, body: typeof init?.body === "string" ? init.body : "", status: res.status, listed });
      return res;
    },
  });
}
