import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { PROJECT_ROOT, resolveRoute, type HttpMethod, type RouteModule } from "../helpers/routes";

/**
 * Portal instances of a federation, each a process of its own with its own zone, data
 * directory and port, for tests of zones sharing one database. `next build` runs after the
 * integration tests, so an instance cannot be the production server: this file, run as a
 * script, boots the portal as instrumentation.ts does (boot, then the zone's worker) and
 * serves HTTP through the production server's request listener (scripts/request-listener.mjs)
 * into the app's route handlers, found the way the test client finds them
 * (tests/helpers/routes.ts), with HEAD falling back to GET as in Next.js.
 *
 * Nothing here imports vitest: the instances load this same file.
 */

/** What an instance prints once it has booted and listens. */
const READY = "[federation] listening";

// ---------------------------------------------------------------------------------------------
// The instance (this file run as a script)

/** The route file serving a path: the API's, or an http marketplace's folder. */
async function routeFor(
  pathname: string,
): Promise<{ handlers: RouteModule; params: Record<string, string | string[]> } | null> {
  const market = /^\/market\/([^/]+)\/([^/]+)$/.exec(pathname);
  if (market) {
    const handlers = (await import("@/app/market/[id]/[key]/route")) as RouteModule;
    return { handlers, params: { id: decodeURIComponent(market[1]), key: decodeURIComponent(market[2]) } };
  }
  const resolved = resolveRoute(pathname);
  if (!resolved) return null;
  const handlers = (await import(/* @vite-ignore */ resolved.route.file)) as RouteModule;
  return { handlers, params: resolved.params };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
  const method = req.method as HttpMethod;
  const route = await routeFor(url.pathname);
  const handler = route && (route.handlers[method] ?? (method === "HEAD" ? route.handlers.GET : undefined));
  if (!route || !handler) {
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
    console.log(`${method} ${url.pathname} 404`);
    return;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
  }
  const aborted = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) aborted.abort();
  });
  const hasBody = method !== "GET" && method !== "HEAD";
  const request = new Request(url, {
    method,
    headers,
    signal: aborted.signal,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: "half" } : {}),
  } as RequestInit);
  const response = await handler(request, { params: Promise.resolve(route.params) });
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") out[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) out["set-cookie"] = cookies;
  res.writeHead(response.status, out);
  console.log(`${method} ${url.pathname} ${response.status}`);
  if (!response.body || method === "HEAD") {
    await response.body?.cancel();
    res.end();
    return;
  }
  // a client that goes away mid-body ends the pipeline; that is no error of the instance
  await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), res).catch(() => {});
}

async function serveInstance(): Promise<void> {
  const { bootOrExit } = await import("@/lib/boot/boot");
  const { getConfig } = await import("@/lib/config");
  const { addressMatcher } = await import("@/lib/auth/forwarding.mjs");
  const { createRequestListener } = await import("../../scripts/request-listener.mjs");
  await bootOrExit();
  const config = getConfig();
  const server = http.createServer(createRequestListener(handle, addressMatcher(config.trustedProxies)));
  server.on("error", (err) => {
    console.error(`[federation] cannot listen on port ${config.port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(config.port, "127.0.0.1", () => console.log(`${READY} zone ${config.zoneName} at ${config.publicUrl}`));
  // the worker (bootOrExit) stops on SIGTERM too; the process ends with the server
  process.once("SIGTERM", () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  });
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) await serveInstance();

// ---------------------------------------------------------------------------------------------
// Keeping one instance out of another's folders

/**
 * How an instance is kept from reading the folders of another instance of the machine, as if
 * it ran on another host:
 *  - `mount`: a mount namespace of its own, with an empty tmpfs over the other's data
 *    directory (unshare; as root, or in a user namespace of its own otherwise): the folders
 *    are not there;
 *  - `namesake`: the same, but the tmpfs holds empty folders where the other's folders were
 *    at start: a host configured alike, with folders of its own at the same paths;
 *  - `user`: another Unix user (nobody; root only), the other's data directory mode 0700:
 *    the folders are there but cannot be read.
 */
export interface Isolation {
  kind: "mount" | "namesake" | "user";
  description: string;
  /** Readies the instance's own data directory (the `user` kind hands it over). */
  prepare(ownDir: string): void;
  /** The command that runs `argv` kept out of `hidden`, and the user to run it as. */
  command(hidden: string, argv: string[]): { file: string; args: string[]; uid?: number; gid?: number };
  /** Whether a process kept out of `hidden` can read `file` (a file or folder inside it). */
  canRead(hidden: string, file: string): boolean;
}

const TMPFS = 'mount -t tmpfs -o size=1m,mode=0755 federation-hidden "$1"';
// the folders' paths (relative, listed before the tmpfs hides them) are recreated empty
const NAMESAKES =
  'dirs=$(cd "$1" && find . -mindepth 1 -type d) && ' +
  `${TMPFS} && ` +
  '(cd "$1" && printf "%s\\n" "$dirs" | xargs -r mkdir -p)';

function mountIsolation(namesakes: boolean): Isolation {
  const asRoot = process.getuid?.() === 0;
  const flags = ["--mount", "--propagation", "private", ...(asRoot ? [] : ["--map-root-user"])];
  const script = `${namesakes ? NAMESAKES : TMPFS} && shift && exec "$@"`;
  const command = (hidden: string, argv: string[]) => ({
    file: "unshare",
    args: [...flags, "--", "sh", "-c", script, "sh", hidden, ...argv],
  });
  const unshare = `a mount namespace of its own (unshare ${flags.join(" ")})`;
  return {
    kind: namesakes ? "namesake" : "mount",
    description: namesakes
      ? `${unshare} in which the other's data directory holds empty folders of the same names`
      : `${unshare} with an empty tmpfs over the other's data directory`,
    prepare: () => {},
    command,
    canRead: (hidden, file) => {
      const c = command(hidden, ["test", "-r", file]);
      return spawnSync(c.file, c.args).status === 0;
    },
  };
}

function userIsolation(uid: number, gid: number): Isolation {
  const command = (_hidden: string, argv: string[]) => ({ file: argv[0], args: argv.slice(1), uid, gid });
  return {
    kind: "user",
    description: `another Unix user (nobody, uid ${uid}); the other's data directory is mode 0700, owned by root`,
    prepare: (ownDir) => execFileSync("chown", ["-R", `${uid}:${gid}`, ownDir]),
    command,
    canRead: (_hidden, file) => spawnSync("test", ["-r", file], { uid, gid }).status === 0,
  };
}

/** Checks an isolation on a folder of its own: it holds, and the portal's code stays readable. */
function holds(isolation: Isolation): string | null {
  const hidden = mkdtempSync(path.join(tmpdir(), "bazaar-isolation-"));
  try {
    const folder = path.join(hidden, "folder");
    const secret = path.join(folder, "secret");
    mkdirSync(folder);
    writeFileSync(secret, "zone-a's");
    const visible = path.join(PROJECT_ROOT, "node_modules", "tsx", "package.json");
    const c = isolation.command(hidden, ["test", "-r", visible]);
    const run = spawnSync(c.file, c.args, { uid: c.uid, gid: c.gid, encoding: "utf8" });
    if (run.error || run.status !== 0)
      return `cannot run with the project readable (${run.error?.message ?? (run.stderr.trim() || `exit ${run.status}`)})`;
    if (isolation.canRead(hidden, secret)) return "the hidden folder stays readable";
    if (isolation.canRead(hidden, folder) !== (isolation.kind === "namesake"))
      return "the folder's namesake is not as it should be";
    return null;
  } finally {
    rmSync(hidden, { recursive: true, force: true });
  }
}

/**
 * The isolations this machine offers, and why the others are not
 * (BAZAAR_FEDERATION_ISOLATION=mount|namesake|user keeps to one).
 */
export function isolations(): { available: Isolation[]; unavailable: string[] } {
  const wanted = process.env.BAZAAR_FEDERATION_ISOLATION;
  const candidates: [Isolation["kind"], () => Isolation | string][] = [
    ["mount", () => mountIsolation(false)],
    ["namesake", () => mountIsolation(true)],
    [
      "user",
      () => {
        if (process.getuid?.() !== 0) return "switching to another user needs root";
        try {
          const id = (flag: string) => Number(execFileSync("id", [flag, "nobody"], { encoding: "utf8" }).trim());
          return userIsolation(id("-u"), id("-g"));
        } catch {
          return "there is no user nobody";
        }
      },
    ],
  ];
  const available: Isolation[] = [];
  const unavailable: string[] = [];
  for (const [kind, make] of candidates) {
    if (wanted && wanted !== kind) continue;
    const isolation = make();
    const problem = typeof isolation === "string" ? isolation : holds(isolation);
    if (problem) unavailable.push(`${kind}: ${problem}`);
    else available.push(isolation as Isolation);
  }
  return { available, unavailable };
}

// ---------------------------------------------------------------------------------------------
// Starting instances

export interface Instance {
  zone: string;
  port: number;
  /** its BAZAAR_PUBLIC_URL */
  url: string;
  dataDir: string;
  /** resolves once it has booted and listens; rejects with its output if it ends first */
  ready: Promise<void>;
  /** what it printed so far (stdout and stderr, interleaved) */
  output(): string;
  stop(): Promise<void>;
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts an instance of `zone` on `port`; with `keptOut`, it cannot read that folder. */
export function startInstance(opts: {
  zone: string;
  port: number;
  dataDir: string;
  env: Record<string, string | undefined>;
  keptOut?: { isolation: Isolation; hidden: string };
  bootTimeoutMs?: number;
}): Instance {
  const url = `http://127.0.0.1:${opts.port}`;
  const argv = [process.execPath, "--conditions=react-server", "--import", "tsx", "tests/support/federation.ts"];
  opts.keptOut?.isolation.prepare(opts.dataDir);
  const c = opts.keptOut
    ? opts.keptOut.isolation.command(opts.keptOut.hidden, argv)
    : { file: argv[0], args: argv.slice(1), uid: undefined, gid: undefined };
  const child: ChildProcess = spawn(c.file, c.args, {
    cwd: PROJECT_ROOT,
    uid: c.uid,
    gid: c.gid,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(opts.port),
      BAZAAR_ZONE: opts.zone,
      BAZAAR_DATA_DIR: opts.dataDir,
      BAZAAR_PUBLIC_URL: url,
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${opts.zone} did not start within ${opts.bootTimeoutMs ?? 90_000} ms:\n${output}`)),
      opts.bootTimeoutMs ?? 90_000,
    );
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", take);
    child.stderr!.on("data", take);
    child.once("error", (err) => reject(new Error(`${opts.zone} could not be started: ${err.message}`)));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${opts.zone} ended (exit code ${code}) before it listened:\n${output}`));
    });
  });
  ready.catch(() => {}); // awaited by the test; not an unhandled rejection meanwhile
  return {
    zone: opts.zone,
    port: opts.port,
    url,
    dataDir: opts.dataDir,
    ready,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Talking to an instance over HTTP

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
  text: string;
  // response bodies are whatever the API answered; tests assert their shape field by field
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/**
 * A client of one instance over real HTTP, as a browser would be: it keeps the session cookie
 * and sends the instance's own Origin on writes. Every exchange has a time limit, body
 * included, so a server that never finishes an answer fails the test instead of hanging it.
 */
export class InstanceClient {
  private cookie: string | undefined;

  constructor(readonly baseUrl: string) {}

  async request(
    method: HttpMethod,
    pathname: string,
    opts: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<HttpAnswer> {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const headers = new Headers(opts.headers);
    if (this.cookie) headers.set("cookie", `bazaar_session=${this.cookie}`);
    if (method !== "GET" && method !== "HEAD") headers.set("origin", new URL(this.baseUrl).origin);
    if (opts.body !== undefined) headers.set("content-type", "application/json");
    const url = new URL(pathname, this.baseUrl);
    let res: Response;
    let body: Buffer;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      body = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      if ((err as Error).name === "TimeoutError")
        throw new Error(
          `${method} ${url} did not finish within ${timeoutMs} ms (headers: ${JSON.stringify(opts.headers ?? {})})`,
        );
      throw err;
    }
    for (const c of res.headers.getSetCookie()) {
      const m = /^bazaar_session=([^;]*)/.exec(c);
      if (m) this.cookie = m[1] && !/max-age=0\b/i.test(c) ? decodeURIComponent(m[1]) : undefined;
    }
    const text = body.toString("utf8");
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, body, text, json };
  }

  get = (pathname: string, opts?: { headers?: Record<string, string>; timeoutMs?: number }) =>
    this.request("GET", pathname, opts);
  post = (pathname: string, body?: unknown) => this.request("POST", pathname, { body });
  delete = (pathname: string) => this.request("DELETE", pathname);
}

/** Signs in on an instance with a password; throws with the answer when it is refused. */
export async function signInTo(instance: Instance, username: string, password: string): Promise<InstanceClient> {
  const client = new InstanceClient(instance.url);
  const res = await client.post("/api/v1/session", { username, password });
  if (res.status !== 200) throw new Error(`sign-in on ${instance.zone} failed: ${res.status} ${res.text}`);
  return client;
}
