/**
 * IAM Identity Center's limits (user guide, "IAM Identity Center quotas"): its APIs share a
 * throttle of 20 transactions per second per account, and at most 15 account-assignment
 * creations or deletions may be outstanding at once. terraform-provider-aws waits for each
 * assignment request to finish (DescribeAccountAssignmentCreation/DeletionStatus) before the
 * operation ends, so the engine's parallelism bounds the outstanding requests. Each operation
 * makes two to four calls plus status polls a few seconds apart: ten at once stays under both.
 */
export const AWS_ENGINE_PARALLELISM = 10;

/**
 * The provider's AWS SDK retry mode. `adaptive` adds client-side rate limiting to the retries:
 * once Identity Center answers ThrottlingException, each service client (identitystore,
 * ssoadmin) slows its own sending rate for every later call of the run, instead of all ten
 * operations retrying at full speed into the shared 20 TPS.
 */
export const AWS_RETRY_MODE = "adaptive";
