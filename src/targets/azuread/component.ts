import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { AdoptionPlan } from "../../model/adoption.js";
import type { AzureAdProjection } from "../../model/desired-state.js";
import type { AzureAdTargetSettings } from "./settings.js";
import { reportDrift } from "../drift.js";
import { listInput } from "../list-input.js";
import { declareInWaves } from "../waves.js";
import { adoptionImports, type AdoptionImports } from "../imports.js";
import { AZUREAD_GROUP_UNSET_FORCE_NEW, AZUREAD_TYPES, azureAdUserIgnoreChanges, groupMemberName, INITIAL_PASSWORD } from "./convert.js";
import { AZUREAD_COMPONENT_TYPE, type AzureAdPrevious } from "./previous.js";
import { planAzureAd, type PlannedGroup, type PlannedUser } from "./plan.js";

export interface AzureAdTargetArgs {
  projection: AzureAdProjection;
  settings: AzureAdTargetSettings;
  /** What the stack's last run left (from its exported state); undefined when unknown. */
  previous?: AzureAdPrevious;
  /** Existing accounts and groups this run adopts (imports) instead of creating. */
  adoption?: AdoptionPlan;
}

/**
 * The Entra ID target: per account a User and its RandomPassword (both named by worker ID or
 * service-account key), per catalog group one security GroupWithoutMembers and one
 * GroupMember per member, named `<group key>/<user key>`, per catalog directory role one DirectoryRole (activation) and one DirectoryRoleAssignment
 * per holder, named `<role key>/<user key>`. Names are part of the contract with deployed
 * stacks; see DESIGN_DECISIONS.md beside this file.
 */
export class AzureAdTarget extends pulumi.ComponentResource {
  readonly users = new Map<string, azuread.User>();
  readonly groups = new Map<string, azuread.Group | azuread.GroupWithoutMembers>();
  readonly directoryRoles = new Map<string, azuread.DirectoryRole>();
  /** Settles once the engine has answered every registration of the target's resources (waves.ts). */
  readonly declared: Promise<void>;

  constructor(name: string, args: AzureAdTargetArgs, opts?: pulumi.ComponentResourceOptions) {
    super(AZUREAD_COMPONENT_TYPE, name, {}, opts);
    const plan = planAzureAd(args.projection, args.settings, args.previous);
    const imported = adoptionImports(args.adoption, "azuread");
    // Client ID, secret, OIDC and environment come from the provider's ARM_* variables; the
    // tenant is pinned by stack settings so a stray ARM_TENANT_ID cannot redirect the stack.
    const provider = new azuread.Provider(name, { tenantId: args.settings.tenantId }, { parent: this });
    this.declared = this.declareAll(plan, provider, imported);
  }

  /** Each kind in waves, after the kinds it refers to: users (managers first), groups, directory roles, their assignments. */
  private async declareAll(plan: ReturnType<typeof planAzureAd>, provider: azuread.Provider, imported: AdoptionImports): Promise<void> {
    const { users, groups, directoryRoles } = this;
    // A user names their manager's object ID: plan.users puts managers first, so a window of
    // people never waits on a manager it has not declared.
    await declareInWaves(plan.users, (user) => {
      const manager = plan.managers.get(user.key);
      const account = this.declareUser(user, manager === undefined ? undefined : users.get(manager)!.objectId, provider, imported("account", user.key));
      users.set(user.key, account);
      return account;
    });

    const objectIdOf = (key: string) => users.get(key)!.objectId;
    await declareInWaves(plan.groups, (group) => {
      const declared = group.memberwise ? this.declareMemberwise(group, group.memberwise, objectIdOf, provider, imported) : this.declareInline(group, objectIdOf, provider);
      groups.set(group.key, declared);
      return declared;
    });

    await declareInWaves(plan.directoryRoles, (role) => {
      // Activates the built-in role (matched by display name, case-insensitively) and exposes its
      // template ID; deleting it is a no-op — activated roles cannot be deactivated (directory_role.md).
      const activated = new azuread.DirectoryRole(role.key, { displayName: role.displayName }, { parent: this, provider });
      directoryRoles.set(role.key, activated);
      return activated;
    });
    await declareInWaves(
      plan.roleAssignments,
      (assignment) =>
        new azuread.DirectoryRoleAssignment(
          assignment.name,
          assignment.kept ?? {
            // Built-in roles are assigned by template ID, not the activated role's object ID
            // (directory_role_assignment.md). No scope: the provider defaults to the tenant, "/".
            roleId: directoryRoles.get(assignment.role)!.templateId,
            principalObjectId: objectIdOf(assignment.user),
          },
          // An adopted user's assignment that exists already is imported (Graph refuses a second one).
          { parent: this, provider, protect: assignment.protect, ...(assignment.kept ? { dependsOn: [users.get(assignment.user)!] } : {}), ...imported.membership("directoryRole", assignment.role, assignment.user) },
        ),
    );

    this.registerOutputs({ users: users.size, groups: groups.size, roleAssignments: plan.roleAssignments.length });
  }

  private declareUser(user: PlannedUser, managerId: pulumi.Output<string> | undefined, provider: azuread.Provider, adopt: { import?: string }): azuread.User {
    const password = new random.RandomPassword(user.key, { ...INITIAL_PASSWORD }, { parent: this, protect: user.protect });
    const account = new azuread.User(
      user.key,
      { ...user.fields, ...(managerId ? { managerId } : {}), password: pulumi.secret(password.result) },
      {
        parent: this,
        provider,
        protect: user.protect,
        // Whatever rolecall does not set is left as the tenant has it — the provider's update would
        // otherwise send nulls and remove the manager. The password only seeds the account: a new
        // RandomPassword would reset it (the provider sends a changed password with forcePasswordChange).
        ignoreChanges: azureAdUserIgnoreChanges({ ...user.fields, ...(managerId ? { managerId: "" } : {}) }, user.holdEnabled),
        // An existing account adopted: imported, then updated to rolecall's values (its password ignored, so never reset).
        ...adopt,
      },
    );
    if (user.disabledOutside) {
      reportDrift(`azuread user ${user.key} is disabled in Entra ID (set outside rolecall), rolecall declares it enabled: left as it is (statusDrift: revert undoes it)`, account);
    }
    return account;
  }

  /**
   * A group: the group without members, and one GroupMember per member, each created and
   * deleted on its own (an error fails that step, and a leaver's removal is the delete of theirs).
   * Aliased to the inline Group of the same name, so an inline group of an earlier rolecall keeps
   * its object; the members it already held are imported rather than added again (GroupMember's
   * create refuses an existing member).
   */
  private declareMemberwise(
    group: PlannedGroup,
    memberwise: NonNullable<PlannedGroup["memberwise"]>,
    objectIdOf: (key: string) => pulumi.Output<string>,
    provider: azuread.Provider,
    imported: AdoptionImports,
  ): azuread.GroupWithoutMembers {
    const withoutMembers = new azuread.GroupWithoutMembers(group.key, { ...group.fields }, {
      parent: this,
      provider,
      aliases: [{ type: AZUREAD_TYPES.group }],
      // What forces a new group and rolecall never sets stays as the tenant has it: an adopted
      // Microsoft 365 or role-assignable group is never deleted and recreated, at adoption or later.
      ignoreChanges: [...AZUREAD_GROUP_UNSET_FORCE_NEW],
      ...imported("group", group.key),
    });
    for (const member of group.members) {
      // Imported where the group already holds the member: an inline group of an earlier rolecall, or an adopted group.
      const adopt = memberwise.adopt.get(member);
      new azuread.GroupMember(
        groupMemberName(group.key, member),
        { groupObjectId: withoutMembers.objectId, memberObjectId: objectIdOf(member) },
        { parent: this, provider, ...(adopt ? { import: adopt } : imported.membership("group", group.key, member)) },
      );
    }
    return withoutMembers;
  }

  /** An inline group of an earlier rolecall that sheds members this run (never to none: plan.ts refuses that). */
  private declareInline(group: PlannedGroup, objectIdOf: (key: string) => pulumi.Output<string>, provider: azuread.Provider): azuread.Group {
    return new azuread.Group(group.key, { ...group.fields, members: listInput(group.members.map(objectIdOf)) }, { parent: this, provider });
  }
}
