import { describe, expect, it } from "vitest";
import { assignIdentities } from "../../../src/compile/identity.js";
import { PolicySchema } from "../../../src/model/policy.js";
import { WorkerSchema } from "../../../src/model/person.js";

const policy = PolicySchema.parse({ organization: { domain: "example.com" }, identity: { loginTemplate: "{given}.{family}", useHrEmail: false } });
const w = (workerId: string, givenName: string, familyName: string, startDate = "2024-01-01") => WorkerSchema.parse({ workerId, givenName, familyName, startDate });

describe("logins and emails", () => {
  it("transliterates unicode names to a stable ASCII login", () => {
    const ids = assignIdentities([w("W1", "José", "Müller"), w("W2", "Zoë", "Yılmaz"), w("W3", "Anne-Marie", "O'Brien")], policy);
    expect([...ids.values()].map((i) => i.login)).toEqual(["jose.muller", "zoe.yilmaz", "annemarie.obrien"]);
    expect(ids.get("W1")!.email).toBe("jose.muller@example.com");
  });
  it("gives the plain login to whoever started first; a newcomer never renames anyone", () => {
    const before = assignIdentities([w("W9", "Ada", "King", "2020-01-01")], policy);
    const after = assignIdentities([w("W9", "Ada", "King", "2020-01-01"), w("W1", "Ada", "King", "2026-01-01")], policy);
    expect(before.get("W9")!.login).toBe("ada.king");
    expect(after.get("W9")!.login).toBe("ada.king");
    expect(after.get("W1")!.login).toBe("ada.king2");
  });
});
