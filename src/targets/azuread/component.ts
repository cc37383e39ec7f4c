import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { AzureAdProjection } from "../../model/desired-state.js";
import type { AzureAdTargetSettings } from "../../model/target-settings/azuread.js";
import { INITIAL_PASSWORD } from "./convert.js";
import { planAzureAd, type PlannedGroup, type PlannedUser } from "./plan.js";

export interface AzureAdTargetArgs {
  projection: AzureAdProjection;
  settings: AzureAdTargetSettings;
}

/**
 * The Entra ID target: per account a User and its RandomPassword (both named by worker ID or
 * service-account key), per catalog group one security Group holding its whole membership,
 * per catalog directory role one DirectoryRole (activation) and one DirectoryRoleAssignment
 * per holder, named `<role key>/<user key>`. Names are part of the contract with deployed
 * stacks; see DESIGN_DECISIONS.md beside this file.
 */
export class AzureAdTarget extends pulumi.ComponentResource {
  readonly users: ReadonlyMap<string, azuread.User>;
  readonly groups: ReadonlyMap<string, azuread.Group>;
  readonly directoryRoles: ReadonlyMap<string, azuread.DirectoryRole>;

  constructor(name: string, args: AzureAdTargetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("rolecall:targets:AzureAd", name, {}, opts);
    const plan = planAzureAd(args.projection, args.settings);
    // Client ID, secret, OIDC and environment come from the provider's ARM_* variables; the
    // tenant is pinned by stack settings so a stray ARM_TENANT_ID cannot redirect the stack.
    const provider = new azuread.Provider(name, { tenantId: args.settings.tenantId }, { parent: this });

    const users = new Map<string, azuread.User>();
    for (const user of plan.users) users.set(user.key, this.declareUser(user, provider));

    const objectIdOf = (key: string) => users.get(key)!.objectId;
    const groups = new Map<string, azuread.Group>();
    for (const group of plan.groups) groups.set(group.key, this.declareGroup(group, objectIdOf, provider));

    const directoryRoles = new Map<string, azuread.DirectoryRole>();
    for (const role of plan.directoryRoles) {
      // Activates the built-in role (matched by display name, case-insensitively) and exposes its
      // template ID; deleting it is a no-op — activated roles cannot be deactivated (directory_role.md).
      directoryRoles.set(role.key, new azuread.DirectoryRole(role.key, { displayName: role.displayName }, { parent: this, provider }));
    }
    for (const assignment of plan.roleAssignments) {
      new azuread.DirectoryRoleAssignment(
        assignment.name,
        {
          // Built-in roles are assigned by template ID, not the activated role's object ID
          // (directory_role_assignment.md). No scope: the provider defaults to the tenant, "/".
          roleId: directoryRoles.get(assignment.role)!.templateId,
          principalObjectId: objectIdOf(assignment.user),
        },
        { parent: this, provider, protect: assignment.protect },
      );
    }

    this.users = users;
    this.groups = groups;
    this.directoryRoles = directoryRoles;
    this.registerOutputs({ users: users.size, groups: groups.size, roleAssignments: plan.roleAssignments.length });
  }

  private declareUser(user: PlannedUser, provider: azuread.Provider): azuread.User {
    const password = new random.RandomPassword(user.key, { ...INITIAL_PASSWORD }, { parent: this, protect: user.protect });
    return new azuread.User(
      user.key,
      { ...user.fields, password: pulumi.secret(password.result) },
      {
        parent: this,
        provider,
        protect: user.protect,
        // The password only seeds the account: Graph never returns it, so the user's own changes
        // cause no diff, but a new RandomPassword would reset it (the provider sends a changed
        // password with forcePasswordChange). Ignoring it after creation rules that out.
        ignoreChanges: ["password"],
      },
    );
  }

  private declareGroup(group: PlannedGroup, objectIdOf: (key: string) => pulumi.Output<string>, provider: azuread.Provider): azuread.Group {
    if (group.members.length === 0) {
      // members is Optional+Computed upstream, and the Pulumi bridge may hand an empty set to the
      // provider as null (pulumi-terraform-bridge#1970), which keeps the current members.
      pulumi.log.warn(
        `azuread group '${group.key}' is declared with no members; if it had members, check after 'up' that they were removed (an empty member set may not be applied, pulumi-terraform-bridge#1970)`,
        this,
      );
    }
    // The whole membership lives here; never add GroupMember resources for these groups — the
    // two fight and members get removed (group.md).
    return new azuread.Group(group.key, { ...group.fields, members: group.members.map(objectIdOf) }, { parent: this, provider });
  }
}
