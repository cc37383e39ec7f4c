import fc from "fast-check";
import SCIMMY from "scimmy";
import { describe, expect, it } from "vitest";
import { matchFilter } from "../../../src/sandbox/query.js";

const userDefinition = SCIMMY.Schemas.User.definition;
const filter = (expression: string) => new SCIMMY.Types.Filter(expression);

describe("matchFilter", () => {
  const users = [
    { id: "1", userName: "Ada@Example.com", externalId: "W1", emails: [{ value: "ADA@example.com", type: "work" }] },
    { id: "2", userName: "grace@example.com", externalId: "w1", name: { givenName: "Grace" } },
  ];

  it("compares caseExact:false attributes case-insensitively and caseExact ones exactly", () => {
    expect(matchFilter(filter('userName eq "ada@example.COM"'), users, userDefinition)).toEqual([users[0]]);
    expect(matchFilter(filter('externalId eq "W1"'), users, userDefinition)).toEqual([users[0]]);
    expect(matchFilter(filter('emails.value eq "ada@EXAMPLE.com"'), users, userDefinition)).toEqual([users[0]]);
    expect(matchFilter(filter('emails[type eq "WORK" and value co "ada"]'), users, userDefinition)).toEqual([users[0]]);
    expect(matchFilter(filter('name.givenName sw "gr"'), users, userDefinition)).toEqual([users[1]]);
    expect(matchFilter(filter('USERNAME eq "GRACE@example.com"'), users, userDefinition)).toEqual([users[1]]);
    expect(matchFilter(filter('id eq "1" and userName ne "ADA@example.com"'), users, userDefinition)).toEqual([]);
  });

  it("returns the stored objects, not folded copies", () => {
    const [match] = matchFilter(filter('userName eq "ada@example.com"'), users, userDefinition);
    expect(match).toBe(users[0]);
  });

  it("finds a userName whatever the case it is asked in", () => {
    const userName = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/);
    fc.assert(
      fc.property(fc.uniqueArray(userName, { minLength: 1, selector: (name) => name.toLowerCase() }), fc.nat(), fc.boolean(), (names, pick, upper) => {
        const stored = names.map((name, index) => ({ id: String(index), userName: name }));
        const wanted = names[pick % names.length] ?? "";
        const asked = upper ? wanted.toUpperCase() : wanted.toLowerCase();
        const found = matchFilter(filter(`userName eq "${asked}"`), stored, userDefinition);
        expect(found.map((user) => user.userName)).toEqual([wanted]);
      }),
    );
  });
});
