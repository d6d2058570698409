import type { ComponentType } from "react";
import type { MantineColor } from "@mantine/core";

/**
 * The pure half of bulk actions: which selected objects an action applies to (and why the
 * others are skipped), running it on each with a small concurrency, and counting the outcome.
 */

/** `true` (or nothing) when the action applies; `false` or the reason it does not. */
export type Applies = boolean | string | undefined;

export interface Skipped<T> {
  object: T;
  name: string;
  reason: string;
}

export interface BulkPlan<T> {
  targets: T[];
  skipped: Skipped<T>[];
}

export const NOT_APPLICABLE = "The action does not apply to it";

/** Splits the selection into the objects the action will run on and those it skips, with why. */
export function planBulk<T>(objects: T[], describe: (o: T) => string, applies?: (o: T) => Applies): BulkPlan<T> {
  const plan: BulkPlan<T> = { targets: [], skipped: [] };
  for (const object of objects) {
    const verdict = applies ? applies(object) : true;
    if (verdict === true || verdict === undefined || verdict === "") plan.targets.push(object);
    else plan.skipped.push({ object, name: describe(object), reason: verdict === false ? NOT_APPLICABLE : verdict });
  }
  return plan;
}

/** The first refusal among several checks, in order: the one a user should fix first. */
export function firstRefusal(...reasons: (string | false | null | undefined)[]): string | undefined {
  return reasons.find((r): r is string => typeof r === "string" && r !== "");
}

export type BulkResult =
  | { name: string; status: "pending" }
  | { name: string; status: "done" }
  | { name: string; status: "failed"; message: string };

/** What a user reads for a failure: the server's sentence, never an empty string. */
export function failureMessage(err: unknown): string {
  if (err instanceof Error && err.message.trim()) return err.message;
  if (typeof err === "string" && err.trim()) return err;
  return "The request failed for an unknown reason";
}

/**
 * Runs `run` on every target, at most `concurrency` at once, and reports each outcome as it
 * comes (by the target's index). One failure never stops the others. Resolves with every
 * result, in the targets' order.
 */
export async function runBulk<T>(
  targets: T[],
  describe: (o: T) => string,
  run: (o: T) => Promise<unknown>,
  options: { concurrency?: number; onResult?: (index: number, result: BulkResult) => void } = {},
): Promise<BulkResult[]> {
  const { concurrency = 4, onResult } = options;
  const results: BulkResult[] = targets.map((t) => ({ name: describe(t), status: "pending" }));
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const index = next++;
      const target = targets[index];
      let result: BulkResult;
      try {
        await run(target);
        result = { name: results[index].name, status: "done" };
      } catch (err) {
        result = { name: results[index].name, status: "failed", message: failureMessage(err) };
      }
      results[index] = result;
      onResult?.(index, result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, targets.length)) }, worker));
  return results;
}

export interface BulkSummary {
  done: number;
  failed: number;
  pending: number;
  /** "2 done, 1 failed", "3 done", "1 of 3 done…" while running */
  text: string;
}

export function summarize(results: BulkResult[]): BulkSummary {
  const count = (s: BulkResult["status"]) => results.filter((r) => r.status === s).length;
  const done = count("done");
  const failed = count("failed");
  const pending = count("pending");
  const text =
    pending > 0
      ? `${done + failed} of ${results.length} finished…`
      : [`${done} done`, ...(failed ? [`${failed} failed`] : [])].join(", ");
  return { done, failed, pending, text };
}

/** "1 image", "3 images"; `noun.many` for irregular nouns. */
export function countOf(n: number, noun: { one: string; many?: string }): string {
  return `${n} ${n === 1 ? noun.one : (noun.many ?? `${noun.one}s`)}`;
}

/** A value the user gives once for every object (a new owner, the nine permission bits). */
export interface BulkForm<T, V> {
  /** what the form starts from, e.g. the permissions of the first object */
  initial: (targets: T[]) => V;
  Fields: ComponentType<{ value: V; onChange: (value: V) => void; disabled: boolean }>;
  /** why the value cannot be applied yet ("Choose a new owner or group") */
  incomplete?: (value: V) => string | undefined;
}

export interface BulkAction<T, V = unknown> {
  label: string;
  /** the confirmation's title and button for "3 images"; `${label} 3 images` when not given */
  phrase?: (what: string) => string;
  color?: MantineColor;
  /**
   * false: runs at once (reversible switches such as Enable); the results still open when an
   * object fails or is skipped. Otherwise one confirmation lists what will be affected.
   */
  confirm?: boolean;
  /** past tense for the notice after an unconfirmed run that went through: "disabled" */
  past?: string;
  /** what will happen, above the list of objects ("This cannot be undone.") */
  message?: string;
  /** whether the action applies to an object, or why not (it is then skipped) */
  applies?: (object: T) => Applies;
  form?: BulkForm<T, V>;
  run: (object: T, value: V) => Promise<unknown>;
  /** once, after every object was tried (e.g. refresh what a chmod changed) */
  settled?: () => unknown;
}

/** Lets actions with forms of different values share one list. */
export function withForm<T, V>(action: BulkAction<T, V>): BulkAction<T> {
  return action as unknown as BulkAction<T>;
}

interface SwitchOptions<T> {
  /** true when enabled, false when disabled, or why it can be neither (an image still uploading) */
  enabled: (o: T) => boolean | string;
  /** why the user may not switch it (MANAGE, a lock) */
  refusal?: (o: T) => string | undefined;
  set: (o: T, enabled: boolean) => Promise<unknown>;
}

/**
 * "Enable" and "Disable": reversible, so they run without a confirmation; an object already in
 * that state is skipped.
 */
export function switchActions<T>({ enabled, refusal, set }: SwitchOptions<T>): BulkAction<T>[] {
  const applies = (o: T, enable: boolean): Applies => {
    const now = enabled(o);
    if (typeof now === "string") return now;
    return refusal?.(o) ?? (now === enable ? `Already ${enable ? "enabled" : "disabled"}` : true);
  };
  return [
    {
      label: "Enable",
      color: "green",
      confirm: false,
      past: "enabled",
      applies: (o) => applies(o, true),
      run: (o) => set(o, true),
    },
    {
      label: "Disable",
      color: "gray",
      confirm: false,
      past: "disabled",
      applies: (o) => applies(o, false),
      run: (o) => set(o, false),
    },
  ];
}
