import { isPortalUrl } from "./portal-url";

export interface ZoneHealth {
  status: "up" | "down" | "unknown";
  detail: string;
  checkedAt: Date | null;
}

/** How long a zone's portal has to answer; the Zones page waits for it. */
export const PROBE_TIMEOUT_MS = 3000;
/** How long an answer (or its absence) is taken as the zone's state. */
const KEPT_MS = 30_000;
/** What is read of the answer at most: the health check's JSON is a few bytes. */
const MAX_BODY = 4096;

const cache = globalThis as unknown as {
  __bazaarZoneHealth?: Map<string, { at: number; health: Promise<ZoneHealth> }>;
};

/**
 * Whether a zone's portal answers at `endpoint` (GET <endpoint>/api/health, as a load balancer
 * asks it), asked by this server within PROBE_TIMEOUT_MS. Answers are kept for a short while,
 * so that a list of zones neither waits again nor asks each zone on every page view; probes
 * of one endpoint at the same time share one request. Only http(s) endpoints are asked.
 */
export function zoneHealth(endpoint: string | null, now = Date.now()): Promise<ZoneHealth> {
  if (!endpoint) return Promise.resolve({ status: "unknown", detail: "it has no endpoint", checkedAt: null });
  if (!isPortalUrl(endpoint))
    return Promise.resolve({ status: "unknown", detail: "its endpoint is not an http(s) URL", checkedAt: null });
  const kept = (cache.__bazaarZoneHealth ??= new Map());
  const hit = kept.get(endpoint);
  if (hit && now - hit.at < KEPT_MS) return hit.health;
  if (kept.size >= 256) kept.clear();
  const health = probe(endpoint);
  kept.set(endpoint, { at: now, health });
  return health;
}

/** Forgets every kept answer (tests; an admin who just changed an endpoint gets a new probe anyway). */
export function forgetZoneHealth(endpoint?: string | null): void {
  if (endpoint) cache.__bazaarZoneHealth?.delete(endpoint);
  else cache.__bazaarZoneHealth?.clear();
}

/** What app/api/health answers. */
type HealthAnswer = { status?: unknown; detail?: unknown };

async function probe(endpoint: string): Promise<ZoneHealth> {
  const url = `${endpoint}/api/health`;
  const checkedAt = new Date();
  const down = (detail: string): ZoneHealth => ({ status: "down", detail, checkedAt });
  let res: Response;
  try {
    // a signal of its own also keeps Next.js's fetch deduplication (and its buffering) away
    res = await fetch(url, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      cache: "no-store",
      redirect: "follow",
      headers: { accept: "application/json" },
    });
  } catch (err) {
    if ((err as Error).name === "TimeoutError") return down(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`);
    const cause = (err as Error & { cause?: Error }).cause;
    return down(`cannot be reached (${cause?.message ?? (err as Error).message})`);
  }
  const body = await readSome(res).catch(() => "");
  let said: HealthAnswer | null;
  try {
    said = JSON.parse(body) as HealthAnswer | null;
  } catch {
    said = null;
  }
  if (res.status === 200 && said?.status === "ok") return { status: "up", detail: "it answers", checkedAt };
  if (res.status === 503 && said?.status === "error")
    return down(`its portal answers, but ${typeof said.detail === "string" ? said.detail : "is not healthy"}`);
  return down(`${url} answered ${res.status}${res.status === 200 ? ", not as a portal" : ""}`);
}

/** The first MAX_BODY bytes of the answer as text; the rest is never read. */
async function readSome(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_BODY) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY).toString("utf8");
}
