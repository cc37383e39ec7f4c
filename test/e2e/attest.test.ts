import { readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Attestation } from "../../src/model/offboarding.js";
import { patchOp, sandboxSuite, TempProject } from "./support/project.js";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

/**
 * `rolecall attest --since` with the real engine against the sandbox: a leaver applied out is
 * attested gone in a folder `evidence verify` accepts; given an account and a membership by
 * hand afterwards, the next attestation fails with exit 5 naming the membership — also when
 * the leaver's apply bundle is missing (taken from the HR export, named); an edited history is
 * refused.
 */
describe("rolecall attest, end to end", () => {
  let project: TempProject;
  let asOf: string;
  const evidence = () => path.join(project.dir, "evidence", "local");
  const latest = async (prefix: string) => (await readdir(evidence())).filter((n) => n.startsWith(prefix)).sort().at(-1)!;
  const attestation = async () => {
    const dir = path.join(evidence(), await latest("attestation-"));
    return { dir, doc: JSON.parse(await readFile(path.join(dir, "attestation.json"), "utf8")) as Attestation };
  };

  sandboxSuite(async (created) => {
    project = created;
    await project.ok("apply", "--yes");
    await project.editRoster((row) => (row["Employee ID"] === "W1010" ? { ...row, "Employment Status": "Terminated" } : row));
    await project.ok("apply", "--yes");
    const manifest = JSON.parse(await readFile(path.join(evidence(), await latest("2"), "manifest.json"), "utf8")) as { asOf: string };
    asOf = manifest.asOf;
  });

  it("attests a leaver gone everywhere, in a folder evidence verify accepts", async () => {
    const result = await project.run("attest", "--since", asOf);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Attestation for stack local since \d{4}-\d{2}-\d{2}: proven/);
    const { dir, doc } = await attestation();
    expect(doc).toMatchObject({ schemaVersion: 1, stack: "local", since: asOf, verdict: "proven", proven: true, unread: [] });
    expect(doc.sources.length).toBeGreaterThanOrEqual(1);
    expect(doc.people.find((p) => p.id === "W1010")).toMatchObject({ state: "leaver", verdict: "proven", targets: [expect.objectContaining({ target: "scim", verdict: "proven", accounts: [], remaining: [] })] });
    // Worker IDs and logins (the SCIM userName) only: no names, no email fields.
    expect(JSON.stringify(doc)).not.toMatch(/Jonas|Weber|displayName|"emails?"/);
    expect(await readFile(path.join(dir, "attestation.md"), "utf8")).toMatch(/✅ proven[\s\S]*`W1010`/);
    expect((await project.run("evidence", "verify", dir)).code).toBe(0);
  });

  it("fails with exit 5 naming the membership a leaver was given by hand after the apply", async () => {
    const back = (await project.scimOk("POST", "/Users", { schemas: [USER], userName: "jonas.back", externalId: "W1010", active: false }))!;
    const groups = (await project.scimOk("GET", `/Groups?filter=${encodeURIComponent('displayName eq "IT Administrators"')}`))!.Resources!;
    await project.scimOk("PATCH", `/Groups/${groups[0]!.id}`, patchOp({ op: "add", path: "members", value: [{ value: back.id }] }));

    const result = await project.run("attest", "--since", asOf);
    expect(result.code, result.stderr).toBe(5);
    expect(result.stderr).toMatch(/attestation failed[\s\S]*W1010 in scim: failed — account jonas\.back .*still present \(disabled\).*still holds group it-admins/);
    const { dir, doc } = await attestation();
    expect(doc).toMatchObject({ verdict: "failed", proven: false });
    const scim = doc.people.find((p) => p.id === "W1010")!.targets[0]!;
    expect(scim.remaining).toEqual([{ account: back.id, kind: "group", item: "it-admins", inCatalog: true }]);
    const verify = await project.run("evidence", "verify", dir);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/attestation is not proven \(failed\): W1010/);
  });

  it("still checks a leaver of the HR export whose apply bundle is missing, naming it as having none", async () => {
    const bundle = path.join(evidence(), await latest("2"));
    const away = path.join(project.dir, "moved-out-bundle");
    await rename(bundle, away);
    try {
      const result = await project.run("attest", "--since", asOf);
      expect(result.code, result.stderr).toBe(5);
      expect(result.stdout).toMatch(/! W1010: no applied evidence bundle since \d{4}-\d{2}-\d{2} names this leaver of the HR export/);
      expect(result.stderr).toMatch(/W1010 in scim: failed — account jonas\.back .*still holds group it-admins/);
      const { dir, doc } = await attestation();
      expect(doc.people.find((p) => p.id === "W1010")).toMatchObject({ verdict: "failed", left: { bundle: null } });
      expect(await readFile(path.join(dir, "attestation.md"), "utf8")).toMatch(/no applied evidence bundle since .* names `W1010`/);
    } finally {
      await rename(away, bundle);
    }
  });

  it("refuses an edited history (exit 1), and a date with no applied bundle after it", async () => {
    const bundle = path.join(evidence(), await latest("2"));
    const file = path.join(bundle, "offboarding.json");
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace('"W1010"', '"W1011"'));
    try {
      const edited = await project.run("attest", "--since", asOf);
      expect(edited.code).toBe(1);
      expect(edited.stderr).toMatch(/offboarding\.json was changed after it was written/);
    } finally {
      await writeFile(file, text);
    }
    const future = await project.run("attest", "--since", "2999-01-01");
    expect(future.code).toBe(1);
    expect(future.stderr).toMatch(/no applied evidence bundle of stack local/);
    expect((await project.run("attest", "--since", "last quarter")).code).toBe(2);
  });
});
