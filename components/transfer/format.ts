/**
 * Pure formatting of transfer numbers (bytes, rate, ETA) for progress bars.
 */
import { formatBytes } from "@/lib/format/bytes";

export { formatBytes };

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** Whole percent done, floored so that 100 means really done; null when the total is unknown. */
export function percentOf(done: number, total: number | null | undefined): number | null {
  if (total === null || total === undefined || !(total > 0)) return null;
  return Math.max(0, Math.min(100, Math.floor((done / total) * 100)));
}

/** Seconds left at the current rate; null when it cannot be told (no total, no rate). */
export function etaSeconds(
  done: number,
  total: number | null | undefined,
  rateBps: number | null | undefined,
): number | null {
  if (total === null || total === undefined || !(total > 0) || !rateBps || rateBps <= 0) return null;
  return Math.max(0, Math.ceil((total - done) / rateBps));
}

export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export interface TransferNumbers {
  bytesDone: number;
  bytesTotal: number | null | undefined;
  rateBps?: number | null;
}

/** Everything a progress bar prints: "12.0 MiB of 64.0 MiB · 18% · 4.2 MiB/s · 13 s left". */
export function describeTransfer({ bytesDone, bytesTotal, rateBps }: TransferNumbers) {
  const percent = percentOf(bytesDone, bytesTotal);
  const eta = etaSeconds(bytesDone, bytesTotal, rateBps);
  const parts = [
    percent === null ? formatBytes(bytesDone) : `${formatBytes(bytesDone)} of ${formatBytes(bytesTotal ?? 0)}`,
  ];
  if (percent !== null) parts.push(`${percent}%`);
  if (rateBps && rateBps > 0) parts.push(formatRate(rateBps));
  if (eta !== null && percent !== null && percent < 100) parts.push(`${formatEta(eta)} left`);
  return { percent, eta, text: parts.join(" · ") };
}
