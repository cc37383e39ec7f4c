import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFilter } from "../../../src/sandbox/scim/filter.js";
import { matches } from "../../../src/sandbox/scim/match.js";
import { groupKind, userKind } from "../../../src/sandbox/scim/schema.js";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const users: Record<string, unknown>[] = [
  {
    id: "1",
    userName: "Ada@Example.com",
    externalId: "W1",
    active: true,
    name: { givenName: "Ada", familyName: "Lovelace" },
    emails: [
      { value: "ADA@example.com", type: "work", primary: true },
      { value: "ada@home.example", type: "home" },
    ],
    [ENTERPRISE]: { employeeNumber: "1001", department: "Finance" },
    meta: { created: "2025-01-01T00:00:00Z", lastModified: "2025-06-01T00:00:00Z" },
  },
  {
    id: "2",
    userName: "grace@example.com",
    externalId: "w1",
    active: false,
    name: { givenName: "Grace" },
    meta: { created: "2025-03-01T00:00:00Z", lastModified: "2025-03-01T00:00:00Z" },
  },
  { id: "3", userName: "alan", title: "Analyst \"quoted\" \\ slash", meta: { created: "2024-01-01T00:00:00Z", lastModified: "2024-01-01T00:00:00Z" } },
];

const find = (filter: string) => users.filter((user) => matches(parseFilter(userKind, filter), user)).map((user) => user.id);

describe("SCIM filters (RFC 7644 §3.4.2.2)", () => {
  it("compares caseExact:false attributes case-insensitively and caseExact ones exactly", () => {
    expect(find('userName eq "ada@example.COM"')).toEqual(["1"]);
    expect(find('externalId eq "W1"')).toEqual(["1"]);
    expect(find('id eq "1"')).toEqual(["1"]);
    expect(find('emails.value eq "ada@EXAMPLE.com"')).toEqual(["1"]);
    expect(find('emails eq "ada@home.example"')).toEqual(["1"]);
    expect(find('name.givenName sw "gr"')).toEqual(["2"]);
    expect(find('userName ew ".COM"')).toEqual(["1", "2"]);
    expect(find('userName co "LAN"')).toEqual(["3"]);
  });

  it("reads attribute names, operators and keywords in any case", () => {
    expect(find('USERNAME EQ "GRACE@example.com"')).toEqual(["2"]);
    expect(find('Name.GivenName Pr AND Active Eq TRUE')).toEqual(["1"]);
  });

  it("resolves URN-qualified attributes, core and extension", () => {
    expect(find(`${ENTERPRISE}:employeeNumber eq "1001"`)).toEqual(["1"]);
    expect(find(`${ENTERPRISE}:department eq "finance"`)).toEqual(["1"]);
    expect(find('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "alan"')).toEqual(["3"]);
    expect(find(`urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "ada"`)).toEqual(["1"]);
  });

  it("binds and tighter than or, and honours not and parentheses", () => {
    expect(find('userName eq "alan" or active eq true and externalId eq "w1"')).toEqual(["3"]);
    expect(find('(userName eq "alan" or active eq true) and externalId eq "W1"')).toEqual(["1"]);
    expect(find('not (active eq true)')).toEqual(["2", "3"]);
    expect(find('not(userName sw "a") and not (active eq false)')).toEqual([]);
  });

  it("applies a value filter to one element at a time", () => {
    expect(find('emails[type eq "work" and value co "ada"]')).toEqual(["1"]);
    // No single element is both home and primary.
    expect(find('emails[type eq "home" and primary eq true]')).toEqual([]);
    expect(find('emails[not (type eq "work")]')).toEqual(["1"]);
  });

  it("handles presence, ne, null, booleans, escapes and date ordering", () => {
    expect(find("title pr")).toEqual(["3"]);
    expect(find('externalId ne "W1"')).toEqual(["2", "3"]);
    expect(find("externalId eq null")).toEqual(["3"]);
    expect(find("externalId ne null")).toEqual(["1", "2"]);
    expect(find("active eq false")).toEqual(["2"]);
    expect(find('title eq "analyst \\"quoted\\" \\\\ slash"')).toEqual(["3"]);
    expect(find('meta.lastModified gt "2025-02-01T00:00:00Z"')).toEqual(["1", "2"]);
    expect(find('meta.created le "2025-01-01T00:00:00.000Z"')).toEqual(["1", "3"]);
    expect(find('meta.created lt "2025-01-01T01:00:00+01:00"')).toEqual(["3"]);
  });

  it.each([
    ['userName eq "a" )', /unexpected/],
    ['(userName eq "a"', /expected "\)"/],
    ["userName eq", /expected a value/],
    ['userName eqq "a"', /expected an operator/],
    ['nosuch eq "a"', /unknown attribute/],
    ['userName eq "unterminated', /string/],
    ['emails[type eq "work"', /expected "\]"/],
    ['name[givenName eq "a"]', /multi-valued/],
    ['name eq "a"', /complex/],
    ['active eq "true"', /boolean/],
    ["active gt true", /cannot order/],
    ['active co "t"', /boolean/],
    ['meta.created co "2025"', /string attribute/],
    ["userName gt null", /null/],
    ['userName eq "a" and', /attribute name/],
    ["", /attribute name/],
  ])("refuses %j with invalidFilter", (filter, detail) => {
    expect(() => parseFilter(userKind, filter)).toThrow(detail);
    try {
      parseFilter(userKind, filter);
    } catch (error) {
      expect(error).toMatchObject({ status: 400, scimType: "invalidFilter" });
    }
  });

  it("knows each resource type's own attributes", () => {
    expect(() => parseFilter(groupKind, 'members[value eq "1"] and displayName sw "fin"')).not.toThrow();
    expect(() => parseFilter(groupKind, 'userName eq "a"')).toThrow(/unknown attribute/);
  });

  const term = fc.constantFrom(
    'userName sw "a"',
    "active eq true",
    'externalId eq "W1"',
    "title pr",
    'emails[type eq "work"]',
    'name.givenName co "a"',
    `${ENTERPRISE}:department eq "finance"`,
  );
  const expression: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      term,
      fc.tuple(tie("node"), fc.constantFrom("and", "or"), tie("node")).map(([a, op, b]) => `(${a}) ${op} (${b})`),
      tie("node").map((inner) => `not (${inner})`),
    ),
  })).node;

  it("means the set operations and, or and not stand for", () => {
    fc.assert(
      fc.property(expression, expression, (a, b) => {
        const [left, right] = [new Set(find(a)), new Set(find(b))];
        expect(find(`(${a}) and (${b})`)).toEqual(users.map((user) => user.id as string).filter((id) => left.has(id) && right.has(id)));
        expect(find(`(${a}) or (${b})`)).toEqual(users.map((user) => user.id as string).filter((id) => left.has(id) || right.has(id)));
        expect(find(`not (${a})`)).toEqual(users.map((user) => user.id as string).filter((id) => !left.has(id)));
      }),
    );
  });

  it("finds a userName whatever the case it is asked in", () => {
    const userName = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/);
    fc.assert(
      fc.property(fc.uniqueArray(userName, { minLength: 1, selector: (name) => name.toLowerCase() }), fc.nat(), fc.boolean(), (names, pick, upper) => {
        const stored = names.map((name, index) => ({ id: String(index), userName: name }));
        const wanted = names[pick % names.length] ?? "";
        const asked = upper ? wanted.toUpperCase() : wanted.toLowerCase();
        const filter = parseFilter(userKind, `userName eq ${JSON.stringify(asked)}`);
        expect(stored.filter((user) => matches(filter, user)).map((user) => user.userName)).toEqual([wanted]);
      }),
    );
  });
});
