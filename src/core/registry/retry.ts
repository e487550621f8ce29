/** When to retry a registry request, and how long to wait first. Pure. */

/** 429 (rate limits: Docker Hub, GHCR) and server errors; 501 (not implemented) will not change. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status !== 501 && status !== 505);
}

/** A Retry-After longer than this is cut to it: a build waits, but not for an hour. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * The wait before retry number `attempt` (0-based): the registry's Retry-After (seconds or an
 * HTTP date) when it sent one, else the backoff schedule.
 */
export function retryDelay(
  attempt: number,
  backoff: readonly number[],
  retryAfter: string | null,
  now: number,
): number {
  const fallback = backoff[attempt] ?? backoff.at(-1) ?? 1000;
  if (!retryAfter) return fallback;
  const seconds = Number(retryAfter.trim());
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - now;
  if (!Number.isFinite(ms) || ms <= 0) return fallback;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}
