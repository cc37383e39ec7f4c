import { describe, expect, it } from "vitest";
import { groupFromScim, groupToScim, userFromScim, userToScim, type UserProps } from "../../../src/targets/scim/provider/mapping.js";

const ada: UserProps = {
  userName: "ada.lovelace",
  externalId: "W100",
  givenName: "Ada",
  familyName: "Lovelace",
  displayName: "Ada Lovelace",
  email: "Ada.Lovelace@example.com",
  active: true,
};

describe("user mapping", () => {
  it("builds the RFC 7643 core user", () => {
    expect(userToScim({ ...ada, title: "Analyst" })).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "ada.lovelace",
      externalId: "W100",
      name: { givenName: "Ada", familyName: "Lovelace", formatted: "Ada Lovelace" },
      displayName: "Ada Lovelace",
      emails: [{ value: "Ada.Lovelace@example.com", type: "work", primary: true }],
      active: true,
      title: "Analyst",
    });
    expect(userToScim(ada)).not.toHaveProperty("title");
  });

  it("round-trips through the SP's representation", () => {
    expect(userFromScim({ ...userToScim(ada), id: "u1", meta: { resourceType: "User" } })).toEqual({ ...ada, scimId: "u1" });
  });

  it("reads what other SPs send: string booleans, several emails, missing attributes", () => {
    const state = userFromScim({
      schemas: [],
      id: "u2",
      userName: "bob",
      active: "False",
      emails: [
        { value: "home@example.org", type: "home" },
        { value: "bob@example.com", type: "work" },
      ],
    });
    expect(state).toEqual({ scimId: "u2", userName: "bob", active: false, email: "bob@example.com" });
  });

  it("prefers the primary email", () => {
    const state = userFromScim({
      schemas: [],
      id: "u3",
      userName: "c",
      emails: [{ value: "w@example.com", type: "work" }, { value: "p@example.com", primary: true }],
    });
    expect(state.email).toBe("p@example.com");
  });

  it("refuses a resource without an id", () => {
    expect(() => userFromScim({ schemas: [], userName: "x" })).toThrow(/without an id/);
  });
});

describe("group mapping", () => {
  const eng = { displayName: "Engineering", externalId: "eng", members: ["u1", "u2"] };

  it("builds the core group with or without members", () => {
    expect(groupToScim(eng)).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Engineering",
      externalId: "eng",
      members: [{ value: "u1" }, { value: "u2" }],
    });
    expect(groupToScim(eng, { withMembers: false })).not.toHaveProperty("members");
  });

  it("reads members as a sorted set and an absent list as empty", () => {
    const live = { schemas: [], id: "g1", displayName: "Engineering", externalId: "eng" };
    expect(groupFromScim({ ...live, members: [{ value: "u2", display: "B" }, { value: "u1" }, { value: "u2" }] })).toEqual({ ...eng, scimId: "g1" });
    expect(groupFromScim(live).members).toEqual([]);
  });
});
