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

/**
 * What a retry costs the AWS SDK for Go v2's retry quota (aws/retry: RetryCost 5, RetryTimeoutCost
 * 10; a successful retried call gives its cost back). The quota is a token bucket of 500 per
 * service client unless the provider's `tokenBucketRateLimiterCapacity` says otherwise; once it
 * is empty, every further retry fails at once ("failed to get rate limit token, retry quota
 * exceeded") — throttled steps would fail long before `maxRetries`.
 */
const RETRY_TIMEOUT_COST = 10;

/**
 * The retry quota that lets every call retry up to `maxRetries` times even if all of them are
 * throttled at once: the engine runs at most AWS_ENGINE_PARALLELISM operations, each making one
 * call at a time, and no retry costs more than RETRY_TIMEOUT_COST. A throttled step then waits
 * (adaptive pacing, backoff) instead of failing on the quota.
 */
export function awsRetryQuota(maxRetries: number): number {
  return AWS_ENGINE_PARALLELISM * maxRetries * RETRY_TIMEOUT_COST;
}
