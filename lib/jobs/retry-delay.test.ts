import { describe, expect, it } from "vitest";
import { RETRY_BASE_MS, RETRY_CAP_MS, RETRY_JITTER, retryDelayMs } from "./retry-delay";

const lowest = () => 0;
const highest = () => 1 - Number.EPSILON;
const middle = () => 0.5;

describe("retryDelayMs", () => {
  it("doubles from the base with each failed attempt", () => {
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(a, {}, middle))).toEqual(
      [1, 2, 4, 8, 16].map((f) => RETRY_BASE_MS * f),
    );
  });

  it("stays within ± the jitter of the exponential delay, for every attempt", () => {
    for (let attempt = 1; attempt <= 40; attempt++) {
      const exact = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (attempt - 1));
      const low = retryDelayMs(attempt, {}, lowest);
      const high = retryDelayMs(attempt, {}, highest);
      expect(low).toBe(Math.round(exact * (1 - RETRY_JITTER)));
      expect(high).toBeLessThanOrEqual(Math.round(exact * (1 + RETRY_JITTER)));
      expect(high).toBeGreaterThan(exact);
      for (let i = 0; i < 50; i++) {
        const d = retryDelayMs(attempt);
        expect(d).toBeGreaterThanOrEqual(low);
        expect(d).toBeLessThanOrEqual(high);
      }
    }
  });

  it("never waits longer than the cap plus its jitter, however many attempts failed", () => {
    expect(retryDelayMs(10_000, {}, highest)).toBeLessThanOrEqual(RETRY_CAP_MS * (1 + RETRY_JITTER));
    expect(retryDelayMs(10_000, {}, middle)).toBe(RETRY_CAP_MS);
    expect(retryDelayMs(4, { baseMs: 100, capMs: 500, jitter: 0 })).toBe(500);
  });

  it("spreads jobs that failed together over the whole jitter range", () => {
    const draws = [0, 0.25, 0.5, 0.75, 0.99];
    const delays = draws.map((r) => retryDelayMs(3, {}, () => r));
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
    expect(new Set(delays).size).toBe(draws.length);
  });

  it("treats a nonsensical attempt number as the first", () => {
    expect(retryDelayMs(0, {}, middle)).toBe(RETRY_BASE_MS);
    expect(retryDelayMs(-3, {}, middle)).toBe(RETRY_BASE_MS);
  });
});
