import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The route table, read from app/api the way Next.js reads it: every route.ts is a route, its
 * folders are the path, `[id]` is a parameter and `[...rest]` a catch-all. Built from the file
 * system so the test client can never disagree with the app about which file serves a path.
 */
export const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

type Params = Record<string, string | string[]>;
export type RouteHandler = (req: Request, ctx?: { params: Promise<Params> }) => Promise<Response>;
export type RouteModule = Partial<Record<HttpMethod, RouteHandler>>;

type Segment = { kind: "static"; value: string } | { kind: "param"; name: string } | { kind: "catchAll"; name: string };

export interface RouteFile {
  /** absolute path of route.ts */
  file: string;
  /** OpenAPI-style path: /api/v1/users/{id}, /api/v1/{...rest} */
  pattern: string;
  segments: Segment[];
}

function parseSegment(folder: string): Segment {
  const catchAll = /^\[\.\.\.(\w+)\]$/.exec(folder);
  if (catchAll) return { kind: "catchAll", name: catchAll[1] };
  const param = /^\[(\w+)\]$/.exec(folder);
  if (param) return { kind: "param", name: param[1] };
  return { kind: "static", value: folder };
}

const patternOf = (segments: Segment[]) =>
  "/" +
  segments
    .map((s) => (s.kind === "static" ? s.value : s.kind === "param" ? `{${s.name}}` : `{...${s.name}}`))
    .join("/");

/** Every route.ts under `dir` (default app/api). */
export function routeFiles(dir = path.join(PROJECT_ROOT, "app", "api")): RouteFile[] {
  const appDir = path.join(PROJECT_ROOT, "app");
  const found: RouteFile[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const segments = path.relative(appDir, current).split(path.sep).map(parseSegment);
        found.push({ file: full, segments, pattern: patternOf(segments) });
      }
    }
  };
  walk(dir);
  return found.sort((a, b) => a.pattern.localeCompare(b.pattern));
}

export async function loadRoute(route: RouteFile): Promise<RouteModule> {
  return (await import(/* @vite-ignore */ route.file)) as RouteModule;
}

function match(route: RouteFile, parts: string[]): Params | null {
  const params: Params = {};
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i];
    if (seg.kind === "catchAll") {
      if (i >= parts.length) return null;
      params[seg.name] = parts.slice(i);
      return params;
    }
    if (i >= parts.length) return null;
    if (seg.kind === "static" && seg.value !== parts[i]) return null;
    if (seg.kind === "param") params[seg.name] = parts[i];
  }
  return route.segments.length === parts.length ? params : null;
}

const RANK = { static: 0, param: 1, catchAll: 2 } as const;

/** Static segments win over parameters, parameters over catch-alls (as in Next.js). */
function moreSpecific(a: RouteFile, b: RouteFile): number {
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
    const d = RANK[a.segments[i].kind] - RANK[b.segments[i].kind];
    if (d !== 0) return d;
  }
  return b.segments.length - a.segments.length;
}

let table: RouteFile[] | undefined;

/** The route serving `pathname`, with its params as Next.js would pass them. */
export function resolveRoute(pathname: string): { route: RouteFile; params: Params } | null {
  table ??= routeFiles().sort(moreSpecific);
  const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  for (const route of table) {
    const params = match(route, parts);
    if (params) return { route, params };
  }
  return null;
}
