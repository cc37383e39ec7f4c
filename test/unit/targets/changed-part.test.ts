import type { Deployment } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, it } from "vitest";
import type { StateResource } from "../../../src/engine/state-sync.js";
import type { DesiredState } from "../../../src/model/desired-state.js";
import { NO_ADOPTION } from "../../../src/model/adoption.js";
import { changedPart } from "../../../src/targets/changed-part.js";
import { userFromScim, userToScim, groupFromScim } from "../../../src/targets/scim/provider/mapping.js";
import { scimUserArgs } from "../../../src/targets/scim/user-args.js";
import { user } from "../../support/directory-fixtures.js";

const ENDPOINT = "http://127.0.0.1:7643/scim/v2";
const ROOT: StateResource = { urn: "urn:pulumi:local::rolecall::pulumi:pulumi:Stack::rolecall-local", type: "pulumi:pulumi:Stack" };
const COMPONENT: StateResource = { urn: "urn:pulumi:local::rolecall::rolecall:targets:Scim::scim", type: "rolecall:targets:Scim", parent: ROOT.urn };
const urn = (type: string, name: string) => `urn:pulumi:local::rolecall::rolecall:targets:Scim$rolecall-scim:index:${type}::${name}`;
const PROVIDER: StateResource = { urn: "urn:pulumi:local::rolecall::rolecall:targets:Scim$pulumi:providers:rolecall-scim::scim", type: "pulumi:providers:rolecall-scim", parent: COMPONENT.urn, inputs: { endpoint: ENDPOINT } };

const ada = user("W1");
const bo = user("W2");
const applied = (u: typeof ada, id: string): StateResource => {
  const inputs = scimUserArgs(u) as unknown as Record<string, unknown>;
  return { urn: urn("User", u.key), type: "rolecall-scim:index:User", id, parent: COMPONENT.urn, inputs, outputs: { ...inputs, scimId: id }, protect: false };
};
const groupInputs = { displayName: "staff", externalId: "staff", members: ["u1", "u2"] };
// The group of an earlier full apply: its members were the users' outputs, so the state records them as dependencies.
const staff: StateResource = { urn: urn("Group", "staff"), type: "rolecall-scim:index:Group", id: "g1", parent: COMPONENT.urn, inputs: groupInputs, outputs: { ...groupInputs, scimId: "g1" }, dependencies: [urn("User", "W1"), urn("User", "W2")] };
const state = (resources: StateResource[]) => ({ version: 3, deployment: { resources } }) as unknown as Deployment;
const desired = (users: (typeof ada)[]) => ({ targets: { scim: { users, groups: [{ key: "staff", displayName: "staff", members: [{ user: "W1", because: ["r"] }, { user: "W2", because: ["r"] }] }] } } }) as unknown as DesiredState;
const live = [
  {
    target: "scim",
    directory: {
      accounts: [],
      items: [],
      observed: {
        accounts: new Map([ada, bo].map((u, i) => [`u${i + 1}`, userFromScim({ ...userToScim(scimUserArgs(u)), id: `u${i + 1}` })])),
        items: new Map([["g1", groupFromScim({ schemas: [], id: "g1", displayName: "staff", externalId: "staff", members: [{ value: "u1" }, { value: "u2" }] })]]),
      },
    },
  },
];
const connections = { scim: { endpoint: ENDPOINT, token: "t", tokenInEnvironment: true } };
const resources = [ROOT, COMPONENT, PROVIDER, applied(ada, "u1"), applied(bo, "u2"), staff];

describe("the part of a stack a full run declares", () => {
  it("takes in an unchanged group whose state depends on a changed account: the engine would delete it otherwise", () => {
    const part = changedPart(state(resources), desired([{ ...ada, title: "Director" }, bo]), connections, live, NO_ADOPTION);
    expect(part).toMatchObject({ accounts: new Set(["W1"]), groups: new Set(["staff"]), urns: [urn("Group", "staff"), urn("User", "W1")], unchanged: 1, creates: true });
  });

  it("is nothing at all when nothing changed", () => {
    expect(changedPart(state(resources), desired([ada, bo]), connections, live, NO_ADOPTION)).toMatchObject({ urns: [], unchanged: 3 });
  });

  it("is the whole stack for a state holding what no target's component explains, or a target that cannot tell its changes", () => {
    const stray: StateResource = { urn: "urn:pulumi:local::rolecall::pulumi:providers:random::default", type: "pulumi:providers:random", parent: ROOT.urn };
    expect(changedPart(state([...resources, stray]), desired([ada, bo]), connections, live, NO_ADOPTION)).toBeUndefined();
    expect(changedPart(state(resources), desired([ada, bo]), { ...connections, okta: {} }, live, NO_ADOPTION)).toBeUndefined();
    expect(changedPart(state([]), desired([ada, bo]), connections, live, NO_ADOPTION)).toBeUndefined();
    expect(changedPart(state(resources), desired([ada, bo]), connections, [], NO_ADOPTION)).toBeUndefined();
  });
});
