/** The wait before the first retry; each further retry waits twice as long, up to the cap. */
export const RETRY_BASE_MS = 2_000;
export const RETRY_CAP_MS = 5 * 60_000;
/** ± this fraction of the delay, so jobs that failed together (a backend went down) do not retry in step */
export const RETRY_JITTER = 0.2;

/**
 * How long a job waits before attempt `failedAttempt + 1`: base × 2^(failedAttempt − 1),
 * capped, then spread by ± the jitter. `random` is a number in [0, 1).
 */
export function retryDelayMs(
  failedAttempt: number,
  opts: { baseMs?: number; capMs?: number; jitter?: number } = {},
  random: () => number = Math.random,
): number {
  const { baseMs = RETRY_BASE_MS, capMs = RETRY_CAP_MS, jitter = RETRY_JITTER } = opts;
  const exponent = Math.max(0, Math.floor(failedAttempt) - 1);
  // 2^exponent overflows to Infinity for absurd attempt counts, which min() turns into the cap
  const delay = Math.min(capMs, baseMs * 2 ** exponent);
  return Math.round(delay * (1 - jitter + 2 * jitter * random()));
}
