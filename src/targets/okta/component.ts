import * as okta from "@pulumi/okta";
import * as pulumi from "@pulumi/pulumi";
import type { OktaProjection } from "../../model/desired-state.js";
import type { AdoptionPlan } from "../../model/adoption.js";
import type { OktaTargetSettings } from "./settings.js";
import { reportDrift } from "../drift.js";
import { listInput } from "../list-input.js";
import { declareInWaves } from "../waves.js";
import { adoptionImports } from "../imports.js";
import { planOkta } from "./plan.js";
import { OKTA_RATE_LIMITS } from "./rate-limits.js";
import { OKTA_COMPONENT_TYPE, type OktaPrevious } from "./previous.js";

export interface OktaTargetArgs {
  projection: OktaProjection;
  settings: OktaTargetSettings;
  /** What the stack's last run left (from its exported state); undefined when unknown. */
  previous?: OktaPrevious;
  /** Existing accounts and groups this run adopts (imports) instead of creating. */
  adoption?: AdoptionPlan;
}

/**
 * The Okta target. Names are part of the contract with deployed stacks:
 * - okta.user.User per account, named by worker ID (or service-account key);
 * - okta.group.Group per catalog group, named by catalog key;
 * - okta.UserGroupMemberships per user in at least one catalog group, named by the user's key;
 * - okta.UserAdminRoles per user holding standard admin roles, named by the user's key — all
 *   of that user's role types in one place.
 * The component's outputs record the status declared for each account: the next run tells
 * rolecall's own transitions from other writers' by it. The provider reads its credentials
 * from OKTA_* environment variables; see README.md and DESIGN_DECISIONS.md beside this file.
 */
export class OktaTarget extends pulumi.ComponentResource {
  readonly users = new Map<string, okta.user.User>();
  readonly groups = new Map<string, okta.group.Group>();
  /** Settles once the engine has answered every registration of the target's resources (waves.ts). */
  readonly declared: Promise<void>;

  constructor(name: string, args: OktaTargetArgs, opts?: pulumi.ComponentResourceOptions) {
    super(OKTA_COMPONENT_TYPE, name, {}, opts);
    refuseLegacyMemberships(args.previous);
    const imported = adoptionImports(args.adoption, "okta");
    const adopted = new Set(args.projection.users.filter((u) => imported("account", u.key).import !== undefined).map((u) => u.key));
    const plan = planOkta(args.projection, { previous: args.previous, revertStatusDrift: args.settings.statusDrift === "revert", adopted });
    const provider = new okta.Provider(name, oktaProviderArgs(args.settings), { parent: this });
    this.declared = this.declareAll(plan, { parent: this, provider }, imported);
  }

  /** Users, then groups, then what names them: each kind in waves, after the kinds it refers to. */
  private async declareAll(plan: ReturnType<typeof planOkta>, inThis: { parent: pulumi.Resource; provider: okta.Provider }, imported: ReturnType<typeof adoptionImports>): Promise<void> {
    const { users, groups } = this;
    await declareInWaves(plan.users, ({ key, fields, options, drift }) => {
      const user = new okta.user.User(key, fields, { ...inThis, protect: options.protect, ignoreChanges: options.ignoreChanges, ...imported("account", key) });
      users.set(key, user);
      if (drift) {
        reportDrift(`okta user ${key} is ${drift} in Okta (set outside rolecall), rolecall declares ${fields.status}: left as it is (statusDrift: revert undoes it)`, user);
      }
      return user;
    });
    await declareInWaves(plan.groups, ({ key, fields }) => {
      const group = new okta.group.Group(key, fields, { ...inThis, ...imported("group", key) });
      groups.set(key, group);
      return group;
    });

    const oktaId = (key: string) => users.get(key)!.id;
    // Per user, not per group: this resource's update returns its add/remove errors, where
    // GroupMemberships' update discards them (DESIGN_DECISIONS.md, "Memberships").
    await declareInWaves(plan.memberships, ({ user, groups: memberOf }) => new okta.UserGroupMemberships(user, { userId: oktaId(user), groups: listInput(memberOf.map((g) => groups.get(g)!.id)) }, inThis));
    // One resource per user is the whole set: its read lists every standard role assigned to the
    // user directly, and its delete removes them all (resource_okta_user_admin_roles.go).
    // An adopted account's roles are imported by its user id (`<user_id>`, userAdminRoles.d.ts): the
    // create would assign each role again (user.go assignAdminRolesToUser, which stops at the first
    // error Okta returns); the import reads what the user holds, the update sets the declared roles.
    await declareInWaves(plan.adminRoles, ({ user, roleTypes, protect }) => new okta.UserAdminRoles(user, { userId: oktaId(user), adminRoles: roleTypes }, { ...inThis, protect, ...imported("account", user) }));

    this.registerOutputs({
      statuses: Object.fromEntries(plan.users.map((u) => [u.key, u.fields.status])),
      users: users.size,
      groups: groups.size,
      memberships: plan.memberships.length,
      adminRoles: plan.adminRoles.length,
    });
  }
}

/**
 * A stack an earlier rolecall provisioned holds one okta.GroupMemberships per group. Letting the
 * engine delete them would remove every recorded member from every catalog group, after the new
 * per-user resources were created: they must leave the state without a delete call.
 */
function refuseLegacyMemberships(previous: OktaPrevious | undefined): void {
  if (!previous || previous.legacyMemberships.length === 0) return;
  throw new Error(
    [
      `the stack holds ${previous.legacyMemberships.length} okta.GroupMemberships from an earlier rolecall; deleting them through the engine would empty those groups.`,
      "Remove them from the state (Okta is not touched), then plan again:",
      ...previous.legacyMemberships.map((urn) => `  pulumi state delete '${urn}'`),
    ].join("\n"),
  );
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
    ...OKTA_RATE_LIMITS,
    maxApiCapacity: settings.maxApiCapacity ?? OKTA_RATE_LIMITS.maxApiCapacity,
  };
}
