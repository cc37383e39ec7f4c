import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compile/compile.js";
import { correlate, normalised } from "../../../src/inventory/correlate.js";
import { loadDesiredState } from "../../../src/load/desired-state-dir.js";
import type { LiveAccount, LiveDirectory } from "../../../src/model/inventory.js";
import { scimTarget } from "../../../src/targets/scim/index.js";

const desired = compile(await loadDesiredState("desired-state"), "2026-11-25");
const person = (id: string) => desired.people.find((p) => p.id === id)!;
const record = { accounts: Object.fromEntries(desired.targets.scim!.users.map((u) => [u.key, u])), holdings: { scim: {} } };
const RULES = ["externalId", "email", "userName"] as const;

const account = (id: string, over: Partial<LiveAccount> = {}): LiveAccount => ({ id, userName: `${id}@example.com`, emails: [], ...over });

function run(accounts: LiveAccount[], items: LiveDirectory["items"] = [], opts: { record?: typeof record; rules?: readonly ("externalId" | "email" | "userName")[] } = {}) {
  const result = correlate({ target: "scim", live: { accounts, items }, desired, record: "record" in opts ? opts.record : record, rules: opts.rules ?? RULES, held: scimTarget.held, readAt: "2026-11-25T00:00:00.000Z" });
  const classOf = (id: string) => result.inventory.accounts.find((a) => a.id === id);
  return { ...result, classOf };
}

describe("correlating live accounts with HR", () => {
  it("classifies managed, linked (by email, by login), orphan and leaver-present accounts", () => {
    const { classOf, inventory } = run([
      account("a", { userName: person("W1010").email, externalId: "W1010" }),
      account("b", { userName: "someone-else", emails: [person("W1001").email.toUpperCase()] }),
      account("c", { userName: person("W1002").login }),
      account("rogue", { userName: "rogue.admin@example.com", emails: ["rogue.admin@example.com"] }),
      account("z", { userName: "zb", externalId: "W1026" }),
      account("svc", { userName: "svc-ci-deployer@example.com", externalId: "svc-ci-deployer" }),
    ]);
    expect(classOf("a")).toMatchObject({ class: "managed", identity: "W1010", rule: "externalId" });
    expect(classOf("b")).toMatchObject({ class: "linked", identity: "W1001", rule: "email" });
    expect(classOf("c")).toMatchObject({ class: "linked", identity: "W1002", rule: "userName" });
    expect(classOf("rogue")).toMatchObject({ class: "orphan" });
    expect(classOf("rogue")!.identity).toBeUndefined();
    expect(classOf("z")).toMatchObject({ class: "leaver-present", identity: "W1026" });
    expect(classOf("svc")).toMatchObject({ class: "leaver-present", identity: "svc-ci-deployer" });
    expect(inventory.summary).toEqual({ managed: 1, linked: 2, orphan: 1, disputed: 0, "leaver-present": 2 });
  });

  it("is not managed without the stack's record of the target, even with the externalId: then it is linked", () => {
    const { classOf } = run([account("a", { externalId: "W1010" })], [], { record: undefined });
    expect(classOf("a")).toMatchObject({ class: "linked", identity: "W1010" });
  });

  it("disputes an account several identities match, and the accounts that claim one identity, with a finding at the roster row", () => {
    const { classOf, findings } = run([
      account("both", { userName: "x", emails: [person("W1003").email, person("W1004").email] }),
      account("d1", { userName: "d1", emails: [person("W1005").email] }),
      account("d2", { userName: "d2", emails: [person("W1005").email] }),
    ]);
    expect(classOf("both")).toMatchObject({ class: "disputed", candidates: ["W1003", "W1004"] });
    expect(classOf("d1")!.class).toBe("disputed");
    expect(classOf("d2")!.class).toBe("disputed");
    expect(findings.map((f) => [f.code, f.severity, f.file, f.line])).toEqual([
      ["disputed-account", "error", "hr/roster.csv", person("W1005").source.line],
      ["disputed-account", "error", "hr/roster.csv", person("W1005").source.line],
      ["disputed-account", "error", "hr/roster.csv", person("W1003").source.line],
    ]);
    for (const f of findings) expect(f.hint).toBeTruthy();
  });

  it("keeps the managed account of an identity and disputes a second account matched to it by email", () => {
    const { classOf } = run([account("a", { externalId: "W1010" }), account("dup", { userName: "dup", emails: [person("W1010").email] })]);
    expect(classOf("a")!.class).toBe("managed");
    expect(classOf("dup")).toMatchObject({ class: "disputed", reason: expect.stringContaining("already linked") });
  });

  it("applies the policy's rules in its order: the first rule with a match decides", () => {
    const live = [account("e", { userName: person("W1002").login, emails: [person("W1001").email] })];
    expect(run(live).classOf("e")).toMatchObject({ identity: "W1001", rule: "email" });
    expect(run(live, [], { rules: ["userName", "email"] }).classOf("e")).toMatchObject({ identity: "W1002", rule: "userName" });
    expect(run(live, [], { rules: ["externalId"] }).classOf("e")!.class).toBe("orphan");
  });

  it("matches case-insensitively and unicode-normalised", () => {
    expect(normalised("Zoe\u0308.Brown@Example.com")).toBe(normalised("zo\u00eb.brown@example.com"));
    expect(run([account("x", { userName: "X", emails: [` ${person("W1001").email}`.trim().toUpperCase()] })]).classOf("x")!.identity).toBe("W1001");
  });

  it("lists holdings nothing declares per identity: a member the catalog group does not declare, and any membership of a group outside the catalog", () => {
    const { inventory } = run(
      [account("a", { externalId: "W1010" }), account("b", { userName: "b", emails: [person("W1001").email] }), account("rogue", { userName: "rogue.admin@example.com" })],
      [
        { kind: "group", id: "g1", displayName: "Engineering", externalId: "engineering", members: ["a", "b"] },
        { kind: "group", id: "g2", displayName: "shadow-admins", members: ["a", "rogue"] },
      ],
    );
    expect(inventory.unmanaged).toEqual([
      { holder: "W1001", account: "b", kind: "group", item: "engineering", inCatalog: true },
      { holder: "W1010", account: "a", kind: "group", item: "shadow-admins", inCatalog: false },
      { holder: "rogue.admin@example.com", account: "rogue", kind: "group", item: "shadow-admins", inCatalog: false },
    ]);
  });
});
