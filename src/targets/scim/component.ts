import * as pulumi from "@pulumi/pulumi";
import type { Directory } from "../../model/desired-state.js";
import type { Adoption, AdoptionPlan } from "../../model/adoption.js";
import { orphanResourceName } from "../../model/adoption.js";
import { ScimGroup, ScimOrphanAccount, ScimProvider, ScimUser } from "./resources.js";
import { packIds } from "../member-list.js";
import { listInput } from "../list-input.js";
import { scimUserArgs } from "./user-args.js";
import { declareInWaves } from "../waves.js";
import { answeredValue } from "../registration-answers.js";

export interface ScimTargetArgs {
  projection: Directory;
  /** Existing accounts and groups to adopt, and orphans policy disables or removes. */
  adoption?: AdoptionPlan;
  endpoint: pulumi.Input<string>;
  /** Absent when the provider takes it from the engine's environment (connect.ts). */
  token?: pulumi.Input<string>;
  /** When the projection holds only some of the accounts: every account's SCIM id in the state, for the members it does not declare. */
  accountIds?: ReadonlyMap<string, string>;
  /** Declared accounts the groups name by their id in `accountIds` rather than by reference (no dependency recorded on them). */
  byId?: ReadonlySet<string>;
}

/**
 * The SCIM target: one User per declared person (named by worker ID) and one Group per
 * catalog group (named by catalog key) holding its whole membership. Names are part of the
 * contract with deployed stacks — see the URN golden test.
 */
export class ScimTarget extends pulumi.ComponentResource {
  /** Settles once the engine has answered every registration of the target's resources. */
  readonly declared: Promise<void>;

  constructor(name: string, args: ScimTargetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("rolecall:targets:Scim", name, {}, opts);
    const provider = new ScimProvider(name, { endpoint: args.endpoint, ...(args.token !== undefined ? { token: args.token } : {}) }, { parent: this });
    this.declared = this.declareAll(args, provider);
  }

  /** Users first, in waves (waves.ts), then the groups naming them, then policy's orphans. */
  private async declareAll(args: ScimTargetArgs, provider: ScimProvider): Promise<void> {
    const adopted = new Map((args.adoption?.adoptions ?? []).map((a) => [`${a.kind}:${a.key}`, a]));
    const users = new Map<string, ScimUser>();
    await declareInWaves(args.projection.users, (user) => {
      const adopt = adopted.get(`account:${user.key}`);
      const declared = new ScimUser(user.key, { ...scimUserArgs(user), ...(adopt ? { adoptId: adopt.id, adoptUserName: adopt.name } : {}) }, { parent: this, provider, protect: user.protected });
      users.set(user.key, declared);
      return declared;
    });
    // A member the engine has answered with its id is named by it: the state then records no
    // dependency of the group on them, as after any later run (target.ts, `byId`), and the first
    // leaver run after the initial apply does not have to declare and rewrite every group. One
    // still unknown (a preview's create) or whose registration failed stays a reference, so the
    // engine skips the group as it did before (apply.ts applies what it skipped on its own).
    const named = new Map(await Promise.all([...users].map(async ([key, user]) => [key, (await answeredValue(user.scimId)) ?? user.scimId] as const)));
    const groups = await declareInWaves(
      args.projection.groups,
      (group) =>
        new ScimGroup(
          group.key,
          {
            displayName: group.displayName,
            externalId: group.key,
            members: memberList(group.members.map((m) => (args.byId?.has(m.user) ? undefined : named.get(m.user)) ?? idInState(args.accountIds, group.key, m.user))),
            ...adoptGroup(adopted.get(`group:${group.key}`)),
          },
          { parent: this, provider },
        ),
    );
    // Named by the SCIM id: the account is nobody's, so it has no worker ID to be named by.
    await declareInWaves(
      (args.adoption?.orphans ?? []).flatMap((orphan) => (orphan.action === "report" ? [] : [{ ...orphan, action: orphan.action }])),
      (orphan) => new ScimOrphanAccount(orphanResourceName(orphan.id), { accountId: orphan.id, userName: orphan.userName, ...(orphan.externalId ? { externalId: orphan.externalId } : {}), action: orphan.action }, { parent: this, provider }),
    );
    this.registerOutputs({ users: users.size, groups: groups.length });
  }
}

/**
 * The ids known now packed into one element (member-list.ts); each account this run declares
 * stays an element of its own. Packed together they would be one unknown in any preview that
 * creates one of them, and the preview would name no member at all; one apiece, the provider's
 * check packs those known the same way, whether the run declares a resource or every one.
 */
function memberList(members: readonly (string | pulumi.Output<string>)[]): Promise<pulumi.Input<string>[]> {
  const known = members.filter((m): m is string => typeof m === "string");
  return listInput([...packIds(known), ...members.filter((m): m is pulumi.Output<string> => typeof m !== "string")]);
}

/** A member the projection does not declare, named by its SCIM id in the state; one without is a run that cannot be declared. */
function idInState(ids: ReadonlyMap<string, string> | undefined, group: string, user: string): string {
  const id = ids?.get(user);
  if (id === undefined) throw new Error(`group ${group} lists ${user}, whose account this run neither declares nor finds in the state`);
  return id;
}

function adoptGroup(adopt: Adoption | undefined): { adoptId?: string; adoptDisplayName?: string } {
  return adopt ? { adoptId: adopt.id, adoptDisplayName: adopt.name } : {};
}
