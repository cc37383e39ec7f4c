import * as okta from "@pulumi/okta";
import * as pulumi from "@pulumi/pulumi";
import type { OktaProjection } from "../../model/desired-state.js";
import type { OktaTargetSettings } from "../../model/target-settings/okta.js";
import { planOkta } from "./plan.js";

export interface OktaTargetArgs {
  projection: OktaProjection;
  settings: OktaTargetSettings;
}

/**
 * The Okta target. Names are part of the contract with deployed stacks:
 * - okta.user.User per account, named by worker ID (or service-account key);
 * - okta.group.Group per catalog group, named by catalog key;
 * - okta.GroupMemberships per group with members, named by the group's catalog key — the
 *   group's whole membership in one place (trackAllUsers: members added elsewhere are removed);
 * - okta.UserAdminRoles per user holding standard admin roles, named by the user's key — all
 *   of that user's role types in one place.
 * The provider reads its credentials from OKTA_* environment variables; see README.md and
 * DESIGN_DECISIONS.md beside this file.
 */
export class OktaTarget extends pulumi.ComponentResource {
  readonly users: ReadonlyMap<string, okta.user.User>;
  readonly groups: ReadonlyMap<string, okta.group.Group>;

  constructor(name: string, args: OktaTargetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("rolecall:targets:Okta", name, {}, opts);
    const plan = planOkta(args.projection);
    const provider = new okta.Provider(name, oktaProviderArgs(args.settings), { parent: this });
    const inThis = { parent: this, provider };

    const users = new Map<string, okta.user.User>();
    for (const { key, fields, options } of plan.users) {
      users.set(key, new okta.user.User(key, fields, { ...inThis, protect: options.protect, ignoreChanges: options.ignoreChanges }));
    }
    const groups = new Map<string, okta.group.Group>();
    for (const { key, fields } of plan.groups) groups.set(key, new okta.group.Group(key, fields, inThis));

    const oktaId = (key: string) => users.get(key)!.id;
    for (const { group, users: members } of plan.memberships) {
      new okta.GroupMemberships(
        group,
        {
          groupId: groups.get(group)!.id,
          users: members.map(oktaId),
          // The group's membership is rolecall's alone: a refresh reads every member and the next
          // update removes whoever was added outside (terraform-provider-okta docs, track_all_users).
          trackAllUsers: true,
        },
        inThis,
      );
    }
    for (const { user, roleTypes, protect } of plan.adminRoles) {
      // One resource per user is the whole set: its read lists every standard role assigned to the
      // user directly, and its delete removes them all (resource_okta_user_admin_roles.go).
      new okta.UserAdminRoles(user, { userId: oktaId(user), adminRoles: roleTypes }, { ...inThis, protect });
    }

    this.users = users;
    this.groups = groups;
    this.registerOutputs({ users: users.size, groups: groups.size, memberships: plan.memberships.length, adminRoles: plan.adminRoles.length });
  }
}

/**
 * Where the provider points and how hard it may push. Credentials are deliberately absent: the
 * provider reads OKTA_API_TOKEN, or OKTA_API_CLIENT_ID/OKTA_API_PRIVATE_KEY(_ID)/OKTA_API_SCOPES,
 * or OKTA_ACCESS_TOKEN itself, so no secret reaches the stack's state.
 */
export function oktaProviderArgs(settings: OktaTargetSettings): okta.ProviderArgs {
  return {
    ...(settings.orgName ? { orgName: settings.orgName } : {}),
    ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
    ...(settings.maxApiCapacity !== undefined ? { maxApiCapacity: settings.maxApiCapacity } : {}),
  };
}
