import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AdoptionPlan } from "../../model/adoption.js";
import type { AwsProjection } from "../../model/desired-state.js";
import type { AwsTargetSettings } from "./settings.js";
import { adoptionImports } from "../imports.js";
import { awsGroupIgnoreChanges, awsPermissionSetIgnoreChanges, awsUserIgnoreChanges } from "./convert.js";
import { planAwsTarget, type AwsPlan } from "./plan.js";
import { AWS_RETRY_MODE, awsRetryQuota } from "./rate-limits.js";
import { declareInWaves } from "../waves.js";

export interface AwsTargetArgs {
  projection: AwsProjection;
  settings: AwsTargetSettings;
  /** Existing users and groups this run adopts (imports) instead of creating. */
  adoption?: AdoptionPlan;
}

/**
 * The AWS IAM Identity Center target. Declares, under one explicit aws.Provider:
 * - identitystore.User per account, named by worker ID / service-account key;
 * - identitystore.Group per catalog group, named by catalog key;
 * - identitystore.GroupMembership per (group, user), named `<group>/<user>`;
 * - ssoadmin.PermissionSet and its ManagedPolicyAttachmentsExclusive, both named by catalog key;
 * - ssoadmin.AccountAssignment per catalog assignment, named `<group>/<account>/<permission set>`.
 * Names are part of the contract with deployed stacks. Why each choice: DESIGN_DECISIONS.md.
 */
export class AwsTarget extends pulumi.ComponentResource {
  readonly plan: AwsPlan;
  readonly provider: aws.Provider;
  readonly users = new Map<string, aws.identitystore.User>();
  readonly groups = new Map<string, aws.identitystore.Group>();
  readonly memberships = new Map<string, aws.identitystore.GroupMembership>();
  readonly permissionSets = new Map<string, aws.ssoadmin.PermissionSet>();
  readonly policyAttachments = new Map<string, aws.ssoadmin.ManagedPolicyAttachmentsExclusive>();
  readonly assignments = new Map<string, aws.ssoadmin.AccountAssignment>();
  /** Settles once the engine has answered every registration of the target's resources (waves.ts). */
  readonly declared: Promise<void>;

  constructor(name: string, args: AwsTargetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("rolecall:targets:Aws", name, {}, opts);
    const { settings } = args;
    const plan = planAwsTarget(args.projection, settings);
    const { identityStoreId, instanceArn } = settings;
    const imported = adoptionImports(args.adoption, "aws");

    // Credentials come from the provider's own chain (environment, AWS_PROFILE, web identity);
    // nothing secret is passed here. The ssoadmin client of terraform-provider-aws retries
    // ConflictException and ThrottlingException (internal/service/ssoadmin/service_package.go)
    // up to maxRetries attempts.
    const provider = new aws.Provider(
      name,
      {
        region: settings.region,
        maxRetries: settings.maxRetries,
        retryMode: AWS_RETRY_MODE,
        tokenBucketRateLimiterCapacity: awsRetryQuota(settings.maxRetries),
        ...(settings.accountId ? { allowedAccountIds: [settings.accountId] } : {}),
      },
      { parent: this },
    );
    this.plan = plan;
    this.provider = provider;
    this.declared = this.declareAll(plan, { parent: this, provider }, identityStoreId, instanceArn, imported);
  }

  /** Each kind in waves, after the kinds it refers to: users, groups, memberships, permission sets, assignments. */
  private async declareAll(plan: AwsPlan, child: { parent: pulumi.Resource; provider: aws.Provider }, identityStoreId: string, instanceArn: string, imported: ReturnType<typeof adoptionImports>): Promise<void> {
    const { users, groups, memberships, permissionSets, policyAttachments, assignments } = this;
    await declareInWaves(plan.users, (u) => {
      // identitystore_user docs: user_name and identity_store_id force replacement, and an email
      // must be unique in the store — so a replacement has to delete the old user first.
      // What others write on the user (phones, addresses, locale…) is left alone: convert.ts.
      const user = new aws.identitystore.User(u.name, { identityStoreId, ...u.args }, { ...child, protect: u.protect, deleteBeforeReplace: true, ignoreChanges: awsUserIgnoreChanges(u.args), ...imported("account", u.name) });
      users.set(u.name, user);
      return user;
    });

    await declareInWaves(plan.groups, (g) => {
      // terraform-provider-aws #39416 (merged 2024): display_name no longer forces replacement.
      const group = new aws.identitystore.Group(g.name, { identityStoreId, ...g.args }, { ...child, ignoreChanges: awsGroupIgnoreChanges(g.args), ...imported("group", g.name) });
      groups.set(g.name, group);
      return group;
    });

    await declareInWaves(plan.memberships, (m) => {
      const groupId = groups.get(m.group)!.groupId;
      const memberId = users.get(m.user)!.userId;
      // A member an adopted group already holds: that membership is imported (a second create fails).
      const membership = new aws.identitystore.GroupMembership(m.name, { identityStoreId, groupId, memberId }, { ...child, ...imported.membership("group", m.group, m.user) });
      memberships.set(m.name, membership);
      return membership;
    });

    await declareInWaves(plan.permissionSets, (p) => {
      const set = new aws.ssoadmin.PermissionSet(p.name, { instanceArn, ...p.args }, { ...child, ignoreChanges: awsPermissionSetIgnoreChanges(p.args) });
      permissionSets.set(p.name, set);
      // ssoadmin_managed_policy_attachments_exclusive: the whole policy set in one resource, one
      // re-provisioning per change; its delete is a no-op, so removing a set never races a
      // re-provisioning against assignment deletes (terraform-provider-aws #33337, #35158).
      const attachments = new aws.ssoadmin.ManagedPolicyAttachmentsExclusive(p.name, { instanceArn, permissionSetArn: set.arn, managedPolicyArns: p.managedPolicyArns }, child);
      policyAttachments.set(p.name, attachments);
      return attachments;
    });

    await declareInWaves(plan.assignments, (a) => {
      const assignment = new aws.ssoadmin.AccountAssignment(
        a.name,
        {
          instanceArn,
          // Inputs from the set and the group make them dependencies: Pulumi deletes dependents
          // first, so one `up` removes assignments before their permission set or group (#26757).
          permissionSetArn: permissionSets.get(a.permissionSet)!.arn,
          principalId: groups.get(a.group)!.groupId,
          principalType: "GROUP",
          targetId: a.accountId,
          targetType: "AWS_ACCOUNT",
        },
        {
          ...child,
          dependsOn: a.after.map((p) => policyAttachments.get(p)!),
          // One permission-set role per account updates at a time (Identity Center quotas), so
          // assignments to one account queue behind each other; the provider's default is 5m.
          customTimeouts: { create: "15m", delete: "15m" },
        },
      );
      assignments.set(a.name, assignment);
      return assignment;
    });

    this.registerOutputs({
      users: users.size,
      groups: groups.size,
      memberships: memberships.size,
      permissionSets: permissionSets.size,
      assignments: assignments.size,
    });
  }
}
