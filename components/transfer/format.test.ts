import { describe, expect, it } from "vitest";
import { describeTransfer, etaSeconds, formatBytes, formatEta, formatRate, percentOf } from "./format";

const MiB = 1024 * 1024;

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [-5, "0 B"],
    [Number.NaN, "0 B"],
    [1, "1 B"],
    [1023, "1023 B"],
    [1024, "1.0 KiB"],
    [1536, "1.5 KiB"],
    [200 * MiB, "200.0 MiB"],
    [5 * 1024 * MiB, "5.0 GiB"],
  ])("%s bytes → %s", (n, text) => expect(formatBytes(n)).toBe(text));
});

describe("formatRate", () => {
  it("prints bytes per second with a binary unit", () => {
    expect(formatRate(12.5 * MiB)).toBe("12.5 MiB/s");
    expect(formatRate(0)).toBe("0 B/s");
  });
});

describe("percentOf", () => {
  it("floors so that 100 only shows when everything is there", () => {
    expect(percentOf(999, 1000)).toBe(99);
    expect(percentOf(1000, 1000)).toBe(100);
  });
  it("clamps to 0..100", () => {
    expect(percentOf(2000, 1000)).toBe(100);
    expect(percentOf(-1, 1000)).toBe(0);
  });
  it("is unknown without a positive total", () => {
    expect(percentOf(10, null)).toBeNull();
    expect(percentOf(10, undefined)).toBeNull();
    expect(percentOf(10, 0)).toBeNull();
  });
});

describe("etaSeconds", () => {
  it("divides what is left by the rate, rounding up", () => {
    expect(etaSeconds(0, 10 * MiB, MiB)).toBe(10);
    expect(etaSeconds(MiB / 2, MiB, MiB)).toBe(1);
    expect(etaSeconds(MiB, MiB, MiB)).toBe(0);
  });
  it("is unknown without a rate or a total", () => {
    expect(etaSeconds(0, 100, 0)).toBeNull();
    expect(etaSeconds(0, null, 100)).toBeNull();
  });
});

describe("formatEta", () => {
  it.each([
    [null, "—"],
    [0, "0 s"],
    [59, "59 s"],
    [61, "1 min 1 s"],
    [3600, "1 h 0 min"],
    [3 * 86400 + 7200, "3 d 2 h"],
  ])("%s → %s", (s, text) => expect(formatEta(s)).toBe(text));
});

describe("describeTransfer", () => {
  it("prints bytes, percent, rate and time left", () => {
    const d = describeTransfer({ bytesDone: 16 * MiB, bytesTotal: 64 * MiB, rateBps: 4 * MiB });
    expect(d.percent).toBe(25);
    expect(d.eta).toBe(12);
    expect(d.text).toBe("16.0 MiB of 64.0 MiB · 25% · 4.0 MiB/s · 12 s left");
  });
  it("prints only bytes and rate when the total is unknown", () => {
    const d = describeTransfer({ bytesDone: 3 * MiB, bytesTotal: null, rateBps: MiB });
    expect(d.percent).toBeNull();
    expect(d.text).toBe("3.0 MiB · 1.0 MiB/s");
  });
  it("leaves the rate and time out when nothing moves", () => {
    expect(describeTransfer({ bytesDone: 0, bytesTotal: 1024 }).text).toBe("0 B of 1.0 KiB · 0%");
  });
});
