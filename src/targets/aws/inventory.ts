import { IdentitystoreClient, paginateListGroupMemberships, paginateListGroups, paginateListUsers, type User } from "@aws-sdk/client-identitystore";
import {
  DescribePermissionSetCommand,
  paginateListAccountAssignments,
  paginateListAccountsForProvisionedPermissionSet,
  paginateListPermissionSets,
  SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import { EnvironmentError } from "../../engine/errors.js";
import type { LiveAccount, LiveDirectory, LiveItem } from "../../model/inventory.js";
import type { AwsTargetSettings } from "./settings.js";
import { LiveReadError } from "../live-http.js";
import { AWS_RETRY_MODE } from "./rate-limits.js";

export const AWS_READ_HINT =
  "the credentials need identitystore:ListUsers, identitystore:ListGroups, identitystore:ListGroupMemberships, sso:ListPermissionSets, sso:DescribePermissionSet, sso:ListAccountsForProvisionedPermissionSet and sso:ListAccountAssignments in the Identity Center account; see src/targets/aws/README.md";

export interface AwsReadOptions {
  /** An endpoint other than AWS's (an emulator in tests). */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** The largest page the Identity Store and SSO Admin list operations return. */
const PAGE = 100;

/**
 * Every user, group, membership and account assignment of an IAM Identity Center instance,
 * through the AWS SDK's paginators (each listing to its last NextToken) with the provider's
 * retry mode and retry count, so throttling (20 TPS shared by the account) is backed off, not
 * fatal. Account assignments are read per permission set: the accounts it is provisioned to,
 * then the assignments in each — kind `assignment`, one item per account and permission set
 * (`<account id>/<permission set name>`, the catalog's `<group>/<account>/<permission set>`
 * without its group), holding its users as `members` and its groups as `groups`.
 * externalId is the userName without `userNameSuffix`: rolecall's userName is the worker ID
 * (ExternalIds belong to an external IdP's SCIM sync and are not worker IDs).
 * Any failure throws: a partial read is never returned.
 */
export async function readAwsInventory(settings: AwsTargetSettings, options: AwsReadOptions = {}): Promise<LiveDirectory> {
  const config = {
    region: settings.region,
    maxAttempts: settings.maxRetries + 1,
    retryMode: AWS_RETRY_MODE,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const store = new IdentitystoreClient(config);
  const admin = new SSOAdminClient(config);
  try {
    const IdentityStoreId = settings.identityStoreId;
    const InstanceArn = settings.instanceArn;
    const accounts: LiveAccount[] = [];
    for await (const page of read("users", paginateListUsers({ client: store, pageSize: PAGE }, { IdentityStoreId }))) {
      for (const user of page.Users ?? []) accounts.push(account(user, settings.userNameSuffix));
    }

    const items: LiveItem[] = [];
    for await (const page of read("groups", paginateListGroups({ client: store, pageSize: PAGE }, { IdentityStoreId }))) {
      for (const group of page.Groups ?? []) {
        if (!group.GroupId) throw shapeError("a group without an id");
        const name = group.DisplayName ?? group.GroupId;
        const members: string[] = [];
        const membershipIds: Record<string, string> = {};
        for await (const memberships of read(`the members of group ${name}`, paginateListGroupMemberships({ client: store, pageSize: PAGE }, { IdentityStoreId, GroupId: group.GroupId }))) {
          for (const m of memberships.GroupMemberships ?? []) {
            // A member is a user (the only kind Identity Center has today); another kind would not be an account.
            const userId = m.MemberId && "UserId" in m.MemberId ? m.MemberId.UserId : undefined;
            if (userId) members.push(userId);
            // What importing the membership takes, should the group be adopted (`<store>/<membership id>`).
            if (userId && m.MembershipId) membershipIds[userId] = m.MembershipId;
          }
        }
        items.push({ kind: "group", id: group.GroupId, displayName: name, members, memberships: membershipIds });
      }
    }

    for await (const page of read("permission sets", paginateListPermissionSets({ client: admin, pageSize: PAGE }, { InstanceArn }))) {
      for (const PermissionSetArn of page.PermissionSets ?? []) {
        const described = await call(`permission set ${PermissionSetArn}`, () => admin.send(new DescribePermissionSetCommand({ InstanceArn, PermissionSetArn })));
        const setName = described.PermissionSet?.Name ?? PermissionSetArn;
        for await (const provisioned of read(`the accounts of permission set ${setName}`, paginateListAccountsForProvisionedPermissionSet({ client: admin, pageSize: PAGE }, { InstanceArn, PermissionSetArn }))) {
          for (const AccountId of provisioned.AccountIds ?? []) {
            const users: string[] = [];
            const groups: string[] = [];
            const what = `the assignments of ${setName} in account ${AccountId}`;
            for await (const assigned of read(what, paginateListAccountAssignments({ client: admin, pageSize: PAGE }, { InstanceArn, AccountId, PermissionSetArn }))) {
              for (const a of assigned.AccountAssignments ?? []) {
                if (!a.PrincipalId) throw shapeError(`an assignment of ${setName} without a principal`);
                if (a.PrincipalType === "USER") users.push(a.PrincipalId);
                else if (a.PrincipalType === "GROUP") groups.push(a.PrincipalId);
                else throw shapeError(`an assignment of ${setName} to a principal of type ${String(a.PrincipalType)}`);
              }
            }
            if (users.length + groups.length > 0) items.push({ kind: "assignment", id: `${AccountId}/${PermissionSetArn}`, displayName: `${AccountId}/${setName}`, members: users, groups });
          }
        }
      }
    }
    return { accounts, items };
  } finally {
    store.destroy();
    admin.destroy();
  }
}

function account(user: User, suffix: string | undefined): LiveAccount {
  if (!user.UserId || !user.UserName) throw shapeError("a user without an id or a userName");
  const name = user.UserName;
  const externalId = !suffix ? name : name.toLowerCase().endsWith(suffix.toLowerCase()) && name.length > suffix.length ? name.slice(0, -suffix.length) : undefined;
  return {
    id: user.UserId,
    userName: name,
    ...(externalId ? { externalId } : {}),
    emails: (user.Emails ?? []).map((e) => e.Value).filter((v): v is string => typeof v === "string" && v !== ""),
    // Identity Center says DISABLED or ENABLED where it has the status; without one, the account's state is not claimed.
    ...(user.UserStatus === "DISABLED" ? { active: false } : user.UserStatus === "ENABLED" ? { active: true } : {}),
    ...(user.DisplayName ? { displayName: user.DisplayName } : {}),
  };
}

/** A paginator whose failure says what was being read; missing credentials say what to set. */
async function* read<T>(what: string, pages: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = pages[Symbol.asyncIterator]();
  for (;;) {
    const next = await call(what, () => iterator.next());
    if (next.done) return;
    yield next.value;
  }
}

async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw readError(what, error);
  }
}

function readError(what: string, error: unknown): Error {
  if (error instanceof LiveReadError || error instanceof EnvironmentError) return error;
  const name = error instanceof Error ? error.name : "Error";
  const message = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 300);
  if (name === "CredentialsProviderError") {
    return new EnvironmentError(
      `the AWS live read has no credentials (${message})`,
      "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones), AWS_PROFILE, or AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN",
    );
  }
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return new LiveReadError(`aws: reading ${what} failed: ${name}${status ? ` (HTTP ${status})` : ""}: ${message}`, AWS_READ_HINT, error);
}

const shapeError = (what: string) => new LiveReadError(`aws: Identity Center answered ${what}; nothing was read, so nothing is reported as missing`, AWS_READ_HINT);
