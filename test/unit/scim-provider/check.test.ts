import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkGroup, checkUser } from "../../../src/targets/scim/provider/check.js";
import { checkConfig, diffConfig, readConfig } from "../../../src/targets/scim/provider/config.js";
import { UNKNOWN, type Value } from "../../../src/targets/scim/provider/values.js";

const user = {
  userName: "ada",
  externalId: "W1",
  givenName: "Ada",
  familyName: "Lovelace",
  displayName: "Ada Lovelace",
  email: "Ada@Example.com",
  active: true,
};

describe("checkUser", () => {
  it("accepts valid inputs and keeps them as given", () => {
    expect(checkUser({ ...user, title: null })).toEqual({ inputs: user, failures: [] });
  });

  it("names each bad property with a reason", () => {
    const { failures } = checkUser({ ...user, userName: " ", email: "nope", active: "yes", nickname: "x", externalId: null });
    expect(failures).toEqual([
      { property: "userName", reason: "must be a non-empty string" },
      { property: "externalId", reason: "is required" },
      { property: "email", reason: "must be an email address" },
      { property: "active", reason: "must be a boolean" },
      { property: "nickname", reason: expect.stringMatching(/is not a property/) as unknown as string },
    ]);
  });

  it("lets unknown values through during preview", () => {
    expect(checkUser({ ...user, email: UNKNOWN }).failures).toEqual([]);
  });
});

describe("checkGroup", () => {
  it("sorts, dedupes and packs members one per line, keeps unknown ones last, and defaults to no members", () => {
    expect(checkGroup({ displayName: "Eng", externalId: "eng", members: ["u3", UNKNOWN, "u1\nu4", "u3"] }).inputs).toEqual({
      displayName: "Eng",
      externalId: "eng",
      members: ["u1\nu3\nu4", UNKNOWN],
    });
    expect(checkGroup({ displayName: "Eng", externalId: "eng" }).inputs["members"]).toEqual([]);
  });

  // A run that declares every account lists each id apart; one that declares a few packs the
  // rest: both must check to the same inputs, or the two previews of one change differ.
  it("checks a membership to the same inputs however the program splits it into elements", () => {
    const ids = fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,8}$/), { maxLength: 8 });
    fc.assert(
      fc.property(ids, fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), fc.nat(2), (members, packed, unknowns) => {
        const apart: Value[] = [...members, ...Array<Value>(unknowns).fill(UNKNOWN)];
        const known = members.filter((_, i) => packed[i]);
        const mixed: Value[] = [...(known.length ? [known.join("\n")] : []), ...members.filter((_, i) => !packed[i]), ...Array<Value>(unknowns).fill(UNKNOWN)];
        expect(checkGroup({ displayName: "Eng", externalId: "eng", members: mixed }).inputs).toEqual(checkGroup({ displayName: "Eng", externalId: "eng", members: apart }).inputs);
      }),
    );
  });

  it("rejects members that are not ids", () => {
    expect(checkGroup({ displayName: "Eng", externalId: "eng", members: ["u1", "", 3, "u2\n\nu3"] }).failures).toEqual([
      { property: "members[1]", reason: "must be non-empty SCIM user ids, one per line" },
      { property: "members[2]", reason: "must be non-empty SCIM user ids, one per line" },
      { property: "members[3]", reason: "must be non-empty SCIM user ids, one per line" },
    ]);
    expect(checkGroup({ displayName: "Eng", externalId: "eng", members: "u1" }).failures).toHaveLength(1);
  });
});

describe("provider configuration", () => {
  it("requires an endpoint and a token", () => {
    expect(checkConfig({}).map((f) => f.property)).toEqual(["endpoint", "token"]);
    expect(checkConfig({ endpoint: "https://scim.example.com/v2", token: "t" })).toEqual([]);
    expect(checkConfig({ endpoint: UNKNOWN, token: UNKNOWN })).toEqual([]);
  });

  it("takes the token from ROLECALL_SCIM_PROVIDER_TOKEN when its configuration has none (so the state never holds it)", () => {
    const env = { ROLECALL_SCIM_PROVIDER_TOKEN: "from-env" };
    expect(checkConfig({ endpoint: "https://scim.example.com/v2" }, env)).toEqual([]);
    expect(checkConfig({ endpoint: "https://scim.example.com/v2" }, { ROLECALL_SCIM_PROVIDER_TOKEN: "" }).map((f) => f.property)).toEqual(["token"]);
    expect(readConfig({ endpoint: "https://scim.example.com/v2" }, new Map(), env)).toEqual({ endpoint: "https://scim.example.com/v2", token: "from-env" });
    expect(readConfig({ endpoint: "https://scim.example.com/v2", token: "configured" }, new Map(), env).token).toBe("configured");
  });

  it("refuses plain http except on loopback", () => {
    expect(checkConfig({ endpoint: "http://127.0.0.1:7643/scim/v2", token: "t" })).toEqual([]);
    expect(checkConfig({ endpoint: "http://scim.example.com/v2", token: "t" })[0]?.reason).toMatch(/https/);
    expect(checkConfig({ endpoint: "scim.example.com", token: "t" })[0]?.reason).toMatch(/absolute URL/);
  });

  it("reads args first and the legacy variables map second", () => {
    const variables = new Map([["rolecall-scim:config:token", "from-variables"]]);
    expect(readConfig({ endpoint: "https://x.example/scim/v2" }, variables)).toEqual({
      endpoint: "https://x.example/scim/v2",
      token: "from-variables",
    });
    expect(() => readConfig({ endpoint: "https://x.example/scim/v2" }, new Map())).toThrow(/token is required/);
  });

  it("diffs an endpoint change as an update, ignoring the plugin version", () => {
    const olds = { endpoint: "https://a.example/scim", token: "t", version: "0.1.0" };
    expect(diffConfig(olds, { endpoint: "https://b.example/scim", token: "t", version: "0.2.0" })).toEqual({
      diffs: ["endpoint"],
      detailedDiff: { endpoint: "update" },
    });
  });
});
