import * as pulumi from "@pulumi/pulumi";
import type { Directory, DirectoryUser } from "../../model/desired-state.js";
import { ScimGroup, ScimProvider, ScimUser, type ScimUserArgs } from "./resources.js";

export interface ScimTargetArgs {
  projection: Directory;
  endpoint: pulumi.Input<string>;
  token: pulumi.Input<string>;
}

/**
 * The SCIM target: one User per declared person (named by worker ID) and one Group per
 * catalog group (named by catalog key) holding its whole membership. Names are part of the
 * contract with deployed stacks — see the URN golden test.
 */
export class ScimTarget extends pulumi.ComponentResource {
  readonly users: ReadonlyMap<string, ScimUser>;
  readonly groups: ReadonlyMap<string, ScimGroup>;

  constructor(name: string, args: ScimTargetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("rolecall:targets:Scim", name, {}, opts);
    const provider = new ScimProvider(name, { endpoint: args.endpoint, token: args.token }, { parent: this });
    const users = new Map<string, ScimUser>();
    for (const user of args.projection.users) {
      users.set(user.key, new ScimUser(user.key, scimUserArgs(user), { parent: this, provider, protect: user.protected }));
    }
    const groups = new Map<string, ScimGroup>();
    for (const group of args.projection.groups) {
      groups.set(
        group.key,
        new ScimGroup(
          group.key,
          {
            displayName: group.displayName,
            externalId: group.key,
            members: group.members.map((m) => users.get(m.user)!.scimId),
          },
          { parent: this, provider },
        ),
      );
    }
    this.users = users;
    this.groups = groups;
    this.registerOutputs({ users: users.size, groups: groups.size });
  }
}

/** The SCIM attributes of an account; the lifecycle state is already folded into `active`. */
export function scimUserArgs(user: DirectoryUser): ScimUserArgs {
  return {
    userName: user.userName,
    externalId: user.externalId,
    givenName: user.givenName,
    familyName: user.familyName,
    displayName: user.displayName,
    email: user.email,
    active: user.active,
    ...(user.title ? { title: user.title } : {}),
  };
}
