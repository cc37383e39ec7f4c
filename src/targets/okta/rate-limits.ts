/**
 * How the Okta provider paces itself (terraform-provider-okta okta/config/config.go and
 * okta/api/idaas.go). Okta limits each management endpoint per minute and per org, shared
 * with every other integration.
 * - maxApiCapacity below 100 switches on the provider's per-endpoint governor (apimutex): it
 *   reads X-Rate-Limit-Limit/-Remaining/-Reset of each endpoint bucket and waits once this
 *   stack's share of that bucket is used. At 100 (the provider's default) there is no governor,
 *   only retries after a 429. rolecall's default leaves half of every bucket to others.
 * - backoff with 30–300 s waits and 5 retries are the provider's defaults, stated here so a
 *   provider upgrade cannot weaken them unseen.
 */
export const OKTA_RATE_LIMITS = { maxApiCapacity: 50, backoff: true, minWaitSeconds: 30, maxWaitSeconds: 300, maxRetries: 5 } as const;

/**
 * Okta's concurrent-request limit (Okta rate limits: "concurrent rate limits", 15 at the
 * smallest editions) counts in-flight requests across the org. Each engine operation on an
 * Okta resource has one request in flight at a time (the provider's `parallelism` stays 1), so
 * ten operations keep this stack under the smallest limit with room for others.
 */
export const OKTA_ENGINE_PARALLELISM = 10;
