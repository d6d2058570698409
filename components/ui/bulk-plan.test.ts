import { describe, expect, it } from "vitest";
import {
  countOf,
  failureMessage,
  firstRefusal,
  NOT_APPLICABLE,
  planBulk,
  runBulk,
  summarize,
  switchActions,
  type BulkResult,
} from "./bulk-plan";

interface Obj {
  id: number;
  name: string;
  enabled: boolean;
  mine?: boolean;
}

const a: Obj = { id: 1, name: "a", enabled: true, mine: true };
const b: Obj = { id: 2, name: "b", enabled: false, mine: true };
const c: Obj = { id: 3, name: "c", enabled: false, mine: false };
const name = (o: Obj) => o.name;

describe("planBulk", () => {
  it("runs on every object when the action has no rule", () => {
    expect(planBulk([a, b], name)).toEqual({ targets: [a, b], skipped: [] });
  });

  it("skips the objects an action does not apply to, saying why", () => {
    const plan = planBulk([a, b, c], name, (o) => (o.mine ? true : "You need MANAGE permission on it"));
    expect(plan.targets).toEqual([a, b]);
    expect(plan.skipped).toEqual([{ object: c, name: "c", reason: "You need MANAGE permission on it" }]);
  });

  it("gives a readable reason when a rule only says no", () => {
    expect(planBulk([a], name, () => false).skipped[0].reason).toBe(NOT_APPLICABLE);
  });

  it("takes an undefined verdict as applying (no refusal found)", () => {
    expect(planBulk([a], name, () => undefined).targets).toEqual([a]);
  });
});

describe("firstRefusal", () => {
  it("picks the first reason given, skipping checks that passed", () => {
    expect(firstRefusal(undefined, false, "locked", "not yours")).toBe("locked");
    expect(firstRefusal(undefined, false, null, "")).toBeUndefined();
  });
});

describe("switchActions", () => {
  const [enable, disable] = switchActions<Obj>({
    enabled: (o) => (o.id === 9 ? "It is still uploading" : o.enabled),
    refusal: (o) => (o.mine ? undefined : "You need MANAGE permission on it"),
    set: async () => {},
  });

  it("runs at once, without a confirmation", () => {
    expect([enable.label, disable.label]).toEqual(["Enable", "Disable"]);
    expect(enable.confirm).toBe(false);
    expect(disable.confirm).toBe(false);
  });

  it("skips objects already in the asked state", () => {
    expect(planBulk([a, b], name, enable.applies)).toMatchObject({
      targets: [b],
      skipped: [{ name: "a", reason: "Already enabled" }],
    });
    expect(planBulk([a, b], name, disable.applies)).toMatchObject({
      targets: [a],
      skipped: [{ name: "b", reason: "Already disabled" }],
    });
  });

  it("says first why an object can be neither, then why the user may not switch it", () => {
    expect(enable.applies?.({ id: 9, name: "up", enabled: false, mine: false })).toBe("It is still uploading");
    expect(enable.applies?.(c)).toBe("You need MANAGE permission on it");
  });
});

describe("runBulk", () => {
  const tick = () => new Promise((r) => setTimeout(r, 1));

  it("runs every object, a few at a time, and one failure does not stop the others", async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    const objects = Array.from({ length: 10 }, (_, i) => ({ id: i, name: `o${i}`, enabled: true }));
    const results = await runBulk(
      objects,
      name,
      async (o) => {
        running++;
        most = Math.max(most, running);
        await tick();
        running--;
        if (o.id === 3) throw new Error("Image o3 is LOCKED while its bytes move; cancel its job first");
      },
      { concurrency: 4, onResult: (i) => seen.push(i) },
    );
    expect(most).toBe(4);
    expect(seen.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(results.map((r) => r.name)).toEqual(objects.map((o) => o.name));
    expect(results[3]).toEqual({
      name: "o3",
      status: "failed",
      message: "Image o3 is LOCKED while its bytes move; cancel its job first",
    });
    expect(results.filter((r) => r.status === "done")).toHaveLength(9);
  });

  it("runs each object once, however many may run at once, and handles none", async () => {
    expect(await runBulk([], name, async () => {})).toEqual([]);
    const calls: string[] = [];
    const two = [a, { ...a, id: 2, name: "b" }];
    const results = await runBulk(two, name, async (o) => void calls.push(o.name), { concurrency: 8 });
    expect(calls.sort()).toEqual(["a", "b"]);
    expect(results).toEqual([
      { name: "a", status: "done" },
      { name: "b", status: "done" },
    ]);
  });
});

describe("failureMessage", () => {
  it("shows the server's sentence, and a sentence when there is none", () => {
    expect(failureMessage(new Error("Datastore x still holds 1 image(s); delete them first"))).toBe(
      "Datastore x still holds 1 image(s); delete them first",
    );
    expect(failureMessage(new Error(""))).toBe("The request failed for an unknown reason");
    expect(failureMessage(undefined)).toBe("The request failed for an unknown reason");
  });
});

describe("summarize", () => {
  const done: BulkResult = { name: "a", status: "done" };
  const failed: BulkResult = { name: "b", status: "failed", message: "no" };
  const pending: BulkResult = { name: "c", status: "pending" };

  it("counts what went through and what failed", () => {
    expect(summarize([done, done]).text).toBe("2 done");
    expect(summarize([done, failed])).toEqual({ done: 1, failed: 1, pending: 0, text: "1 done, 1 failed" });
    expect(summarize([done, pending, failed]).text).toBe("2 of 3 finished…");
  });
});

describe("countOf", () => {
  it("names one and many", () => {
    expect(countOf(1, { one: "image" })).toBe("1 image");
    expect(countOf(3, { one: "image" })).toBe("3 images");
    expect(countOf(2, { one: "VM template" })).toBe("2 VM templates");
  });
});
