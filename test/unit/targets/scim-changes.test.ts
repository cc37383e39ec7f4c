import { describe, expect, it } from "vitest";
import type { StateResource } from "../../../src/engine/state-sync.js";
import type { Directory, DirectoryUser } from "../../../src/model/desired-state.js";
import type { LiveDirectory } from "../../../src/model/inventory.js";
import { NO_ADOPTION, type Orphan } from "../../../src/model/adoption.js";
import { scimChanges } from "../../../src/targets/scim/changes.js";
import { groupFromScim, userFromScim, userToScim } from "../../../src/targets/scim/provider/mapping.js";
import { scimUserArgs } from "../../../src/targets/scim/user-args.js";
import { user } from "../../support/directory-fixtures.js";

const ENDPOINT = "http://127.0.0.1:7643/scim/v2";
const COMPONENT: StateResource = { urn: "urn:pulumi:local::rolecall::rolecall:targets:Scim::scim", type: "rolecall:targets:Scim" };
const urn = (type: string, name: string) => `urn:pulumi:local::rolecall::rolecall:targets:Scim$rolecall-scim:index:${type}::${name}`;
const PROVIDER: StateResource = { urn: "urn:pulumi:local::rolecall::rolecall:targets:Scim$pulumi:providers:rolecall-scim::scim", type: "pulumi:providers:rolecall-scim", parent: COMPONENT.urn, inputs: { endpoint: ENDPOINT } };

/** A user as the last apply left it in the state: inputs as declared, outputs the inputs plus its id. */
function applied(u: DirectoryUser, id: string, more: Partial<StateResource> = {}): StateResource {
  const inputs = scimUserArgs(u) as unknown as Record<string, unknown>;
  return { urn: urn("User", u.key), type: "rolecall-scim:index:User", id, parent: COMPONENT.urn, inputs, outputs: { ...inputs, scimId: id }, protect: u.protected, ...more };
}
function appliedGroup(key: string, id: string, members: string[], more: Partial<StateResource> = {}): StateResource {
  const inputs = { displayName: key, externalId: key, members: [...members].sort() };
  return { urn: urn("Group", key), type: "rolecall-scim:index:Group", id, parent: COMPONENT.urn, inputs, outputs: { ...inputs, scimId: id }, ...more };
}
/** What a live read returns for these users and groups, as the provider's refresh reads them. */
function live(users: [DirectoryUser, string][], groups: [string, string, string[]][]): LiveDirectory {
  return {
    accounts: [],
    items: [],
    observed: {
      accounts: new Map(users.map(([u, id]) => [id, userFromScim({ ...userToScim(scimUserArgs(u)), id })])),
      items: new Map(groups.map(([key, id, members]) => [id, groupFromScim({ schemas: [], id, displayName: key, externalId: key, members: members.map((value) => ({ value })) })])),
    },
  };
}
const directory = (users: DirectoryUser[], groups: Record<string, string[]>): Directory => ({
  users,
  groups: Object.entries(groups).map(([key, members]) => ({ key, displayName: key, members: members.map((m) => ({ user: m, because: ["role"] })) })),
});
const CONNECTION = { endpoint: ENDPOINT, token: "t", tokenInEnvironment: true };

describe("which SCIM resources a full run must declare", () => {
  const ada = user("W1");
  const bo = user("W2");
  const state = [PROVIDER, applied(ada, "u1"), applied(bo, "u2"), appliedGroup("staff", "g1", ["u1", "u2"])];
  const judge = (projection: Directory, observed: LiveDirectory, resources = state, adoption = NO_ADOPTION) => scimChanges({ projection, connection: CONNECTION, component: COMPONENT, resources, live: observed, adoption, refreshed: false });

  it("is nothing when the desired state, the state and the live read agree", () => {
    expect(judge(directory([ada, bo], { staff: ["W1", "W2"] }), live([[ada, "u1"], [bo, "u2"]], [["staff", "g1", ["u2", "u1"]]]))).toEqual({ accounts: new Set(), groups: new Set(), urns: [], refreshOnly: [], unchanged: 3, drift: false, byId: new Set() });
  });

  it("is an account whose attribute changed in HR, and nothing else", () => {
    const moved = { ...ada, title: "Director" };
    expect(judge(directory([moved, bo], { staff: ["W1", "W2"] }), live([[ada, "u1"], [bo, "u2"]], [["staff", "g1", ["u1", "u2"]]]))).toMatchObject({ accounts: new Set(["W1"]), groups: new Set(), urns: [urn("User", "W1")], drift: false, byId: new Set(["W1"]) });
  });

  it("is an account changed by hand in the target, as drift, though HR did not change", () => {
    const edited = { ...ada, title: "Hacker" };
    expect(judge(directory([ada, bo], { staff: ["W1", "W2"] }), live([[edited, "u1"], [bo, "u2"]], [["staff", "g1", ["u1", "u2"]]]))).toMatchObject({ accounts: new Set(["W1"]), urns: [urn("User", "W1")], drift: true });
  });

  it("is a group whose membership was changed by hand, either way", () => {
    const added = judge(directory([ada, bo], { staff: ["W1"] }), live([[ada, "u1"], [bo, "u2"]], [["staff", "g1", ["u1", "u2"]]]), [PROVIDER, applied(ada, "u1"), applied(bo, "u2"), appliedGroup("staff", "g1", ["u1"])]);
    expect(added).toMatchObject({ groups: new Set(["staff"]), urns: [urn("Group", "staff")], drift: true });
    const removed = judge(directory([ada, bo], { staff: ["W1", "W2"] }), live([[ada, "u1"], [bo, "u2"]], [["staff", "g1", ["u1"]]]));
    expect(removed).toMatchObject({ groups: new Set(["staff"]), urns: [urn("Group", "staff")], drift: true });
  });

  it("is an account deleted by hand, and every group listing it", () => {
    expect(judge(directory([ada, bo], { staff: ["W1", "W2"] }), live([[bo, "u2"]], [["staff", "g1", ["u2"]]]))).toMatchObject({ accounts: new Set(["W1"]), groups: new Set(["staff"]), urns: [urn("Group", "staff"), urn("User", "W1")], drift: true, byId: new Set() });
  });

  it("is a joiner's create, named by the URN the engine will give it, and the groups it joins", () => {
    const cy = user("W3");
    const part = judge(directory([ada, bo, cy], { staff: ["W1", "W2", "W3"] }), live([[ada, "u1"], [bo, "u2"]], [["staff", "g1", ["u1", "u2"]]]));
    expect(part).toMatchObject({ accounts: new Set(["W3"]), groups: new Set(["staff"]), urns: [urn("Group", "staff"), urn("User", "W3")], unchanged: 2, drift: false });
  });

  it("sees drift in a group that also gains an account this run creates: the preview must refresh it to remove a member added by hand", () => {
    const cy = user("W3");
    const part = judge(directory([ada, bo, cy], { staff: ["W1", "W3"] }), live([[ada, "u1"], [bo, "u2"]], [["staff", "g1", ["u1", "u2"]]]), [PROVIDER, applied(ada, "u1"), applied(bo, "u2"), appliedGroup("staff", "g1", ["u1"])]);
    expect(part).toMatchObject({ groups: new Set(["staff"]), drift: true });
  });

  it("deletes a leaver the live read did not list once a refresh kept it in the state: a list can miss what exists", () => {
    const missed = live([[bo, "u2"]], [["staff", "g1", ["u2"]]]);
    const projection = directory([bo], { staff: ["W2"] });
    expect(judge(projection, missed)?.refreshOnly).toEqual([urn("User", "W1")]);
    const after = scimChanges({ projection, connection: CONNECTION, component: COMPONENT, resources: state, live: missed, adoption: NO_ADOPTION, refreshed: true });
    expect(after).toMatchObject({ urns: [urn("Group", "staff"), urn("User", "W1")], refreshOnly: [] });
  });

  it("is a leaver's delete (by its URN in the state, not declared) and the groups it leaves", () => {
    const part = judge(directory([bo], { staff: ["W2"] }), live([[ada, "u1"], [bo, "u2"]], [["staff", "g1", ["u1", "u2"]]]));
    expect(part).toMatchObject({ accounts: new Set(), groups: new Set(["staff"]), urns: [urn("Group", "staff"), urn("User", "W1")], drift: false });
  });

  it("only refreshes what it would delete that the target no longer holds: a refresh drops it, a targeted preview could not find it", () => {
    const part = judge(directory([bo], { staff: ["W2"] }), live([[bo, "u2"]], [["staff", "g1", ["u2"]]]));
    expect(part).toMatchObject({ urns: [urn("Group", "staff")], refreshOnly: [urn("User", "W1")], drift: true });
  });

  it("is a group gone from the catalog, deleted", () => {
    expect(judge(directory([ada, bo], {}), live([[ada, "u1"], [bo, "u2"]], [["staff", "g1", ["u1", "u2"]]]))).toMatchObject({ groups: new Set(), urns: [urn("Group", "staff")] });
  });

  it("is an account whose protection policy changed", () => {
    expect(judge(directory([{ ...ada, protected: true }, bo], { staff: ["W1", "W2"] }), live([[ada, "u1"], [bo, "u2"]], [["staff", "g1", ["u1", "u2"]]]))).toMatchObject({ accounts: new Set(["W1"]) });
  });

  it("includes every orphan action, each reading its account back", () => {
    const orphans: Orphan[] = [{ target: "scim", id: "x9", userName: "old@example.com", action: "disable", because: "no HR record" }];
    const part = judge(directory([ada, bo], { staff: ["W1", "W2"] }), live([[ada, "u1"], [bo, "u2"]], [["staff", "g1", ["u1", "u2"]]]), state, { ...NO_ADOPTION, orphans });
    expect(part?.urns).toEqual([urn("OrphanAccount", "orphan-x9")]);
  });

  it("sees an orphan it disabled that someone enabled again, as drift: the preview must refresh it to disable it again", () => {
    const rogue = user("X9");
    const orphans: Orphan[] = [{ target: "scim", id: "x9", userName: rogue.userName!, action: "disable", because: "no HR record" }];
    const disabled = (active?: boolean): StateResource => {
      const inputs = { accountId: "x9", userName: rogue.userName!, action: "disable" };
      return { urn: urn("OrphanAccount", "orphan-x9"), type: "rolecall-scim:index:OrphanAccount", id: "x9", parent: COMPONENT.urn, inputs, outputs: { ...inputs, ...(active === undefined ? {} : { active }) } };
    };
    const projection = directory([ada, bo], { staff: ["W1", "W2"] });
    const enabled = live([[ada, "u1"], [bo, "u2"], [rogue, "x9"]], [["staff", "g1", ["u1", "u2"]]]);
    const stillOff = live([[ada, "u1"], [bo, "u2"], [{ ...rogue, active: false }, "x9"]], [["staff", "g1", ["u1", "u2"]]]);
    expect(judge(projection, enabled, [...state, disabled(false)], { ...NO_ADOPTION, orphans })).toMatchObject({ urns: [urn("OrphanAccount", "orphan-x9")], drift: true });
    // A record from before the provider kept `active`: enabled live is drift too.
    expect(judge(projection, enabled, [...state, disabled()], { ...NO_ADOPTION, orphans })).toMatchObject({ drift: true });
    expect(judge(projection, stillOff, [...state, disabled(false)], { ...NO_ADOPTION, orphans })).toMatchObject({ urns: [urn("OrphanAccount", "orphan-x9")], drift: false });
  });

  it("cannot tell, and declares the target whole, for a state it does not fully understand", () => {
    const agreed = live([[ada, "u1"], [bo, "u2"]], [["staff", "g1", ["u1", "u2"]]]);
    const projection = directory([ada, bo], { staff: ["W1", "W2"] });
    expect(judge(projection, agreed, [...state, { urn: urn("Thing", "x"), type: "rolecall-scim:index:Thing", parent: COMPONENT.urn }])).toBeUndefined();
    expect(judge(projection, agreed, [{ ...PROVIDER, inputs: { endpoint: "https://elsewhere.example/scim/v2" } }, ...state.slice(1)])).toBeUndefined();
    expect(judge(projection, agreed, [{ ...PROVIDER, inputs: { endpoint: ENDPOINT, token: "[secret]" } }, ...state.slice(1)])).toBeUndefined();
    expect(judge(projection, agreed, [{ ...PROVIDER, inputs: { endpoint: ENDPOINT, version: "0.9.0" } }, ...state.slice(1)])).toBeUndefined();
    expect(judge(projection, { ...agreed, observed: undefined })).toBeUndefined();
    expect(scimChanges({ projection, connection: { ...CONNECTION, tokenInEnvironment: false }, component: COMPONENT, resources: state, live: agreed, adoption: NO_ADOPTION, refreshed: false })).toBeUndefined();
  });
});
