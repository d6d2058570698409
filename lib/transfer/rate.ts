/**
 * A smoothed transfer rate from (time, bytes) samples: the one rate of the portal, for browser
 * uploads (components/images/upload-manager.ts) and for jobs' progress (lib/jobs/job-pulse.ts).
 * Exponential smoothing with a half-life, so the number settles instead of jumping with every
 * chunk; bytes going backwards (a retried chunk restarts from the server's offset) start a new
 * baseline instead of a negative rate. Plain code: it runs in the browser and on the server.
 */
export interface RateMeter {
  /** records `bytes` done at `now` (ms) and returns the smoothed rate in bytes/s */
  sample(bytes: number, now?: number): number;
  /** forget the baseline (after a pause), keep nothing */
  reset(): void;
  readonly rate: number;
}

export function createRateMeter({ halfLifeMs = 3000, minIntervalMs = 250 } = {}): RateMeter {
  let last: { t: number; bytes: number } | null = null;
  let rate = 0;
  let seeded = false;
  return {
    sample(bytes, now = Date.now()) {
      if (!last || bytes < last.bytes) {
        last = { t: now, bytes };
        return rate;
      }
      const dt = now - last.t;
      if (dt < minIntervalMs) return rate;
      const instant = ((bytes - last.bytes) * 1000) / dt;
      const alpha = 1 - Math.pow(0.5, dt / halfLifeMs);
      rate = seeded ? rate + alpha * (instant - rate) : instant;
      seeded = true;
      last = { t: now, bytes };
      return rate;
    },
    reset() {
      last = null;
      rate = 0;
      seeded = false;
    },
    get rate() {
      return rate;
    },
  };
}
