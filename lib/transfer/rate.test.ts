import { describe, expect, it } from "vitest";
import { createRateMeter } from "./rate";

describe("createRateMeter", () => {
  it("takes the first interval's rate as it is", () => {
    const m = createRateMeter();
    m.sample(0, 0);
    expect(m.sample(1000, 1000)).toBe(1000);
  });

  it("ignores samples closer than the minimum interval", () => {
    const m = createRateMeter({ minIntervalMs: 250 });
    m.sample(0, 0);
    expect(m.sample(500, 100)).toBe(0);
    expect(m.sample(1000, 500)).toBe(2000);
  });

  it("moves halfway to a new rate after one half-life", () => {
    const m = createRateMeter({ halfLifeMs: 1000 });
    m.sample(0, 0);
    m.sample(1000, 1000); // 1000 B/s
    expect(m.sample(4000, 2000)).toBeCloseTo(2000); // instant 3000 B/s, half-way
  });

  it("starts a new baseline when bytes go backwards (a retried chunk)", () => {
    const m = createRateMeter();
    m.sample(0, 0);
    m.sample(1000, 1000);
    expect(m.sample(500, 1500)).toBe(1000);
    expect(m.sample(1500, 2500)).toBe(1000);
  });

  it("forgets everything on reset", () => {
    const m = createRateMeter();
    m.sample(0, 0);
    m.sample(1000, 1000);
    m.reset();
    expect(m.rate).toBe(0);
    m.sample(5000, 2000);
    expect(m.sample(5500, 3000)).toBe(500);
  });
});
