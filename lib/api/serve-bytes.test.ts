import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { ByteRange, ByteSource } from "@/lib/transfer/byte-source";
import { DIRECT_BODY_HEADER, enableDirectBodies, pendingDirectBodies, takeDirectBody } from "./direct-body.mjs";
import { contentDisposition, parseRange, serveBytes } from "./serve-bytes";

const BYTES = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
const ETAG = '"abc123"';
const MODIFIED = new Date("2024-05-01T12:00:00.000Z");

/** A source over BYTES that records every open. */
function memorySource(over: Partial<ByteSource> = {}) {
  const opened: (ByteRange | undefined)[] = [];
  const source: ByteSource = {
    size: BYTES.length,
    etag: ETAG,
    lastModified: MODIFIED,
    filename: "disk.qcow2",
    contentType: "application/octet-stream",
    async open(range) {
      opened.push(range);
      return Readable.from([range ? BYTES.subarray(range.start, range.end + 1) : BYTES]);
    },
    ...over,
  };
  return { source, opened };
}

function serve(headers: Record<string, string> = {}, opts: { method?: string; source?: ByteSource } = {}) {
  const { source, opened } = opts.source ? { source: opts.source, opened: [] } : memorySource();
  const req = { method: opts.method ?? "GET", headers: new Headers(headers) };
  return { opened, res: serveBytes(req, source, { cacheControl: "private, no-store" }) };
}

const bodyOf = async (res: Response) => Buffer.from(await res.arrayBuffer());

describe("serveBytes", () => {
  it("answers GET with the whole object and its headers", async () => {
    const res = await serve().res;
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.headers)).toEqual({
      "accept-ranges": "bytes",
      "cache-control": "private, no-store",
      "content-disposition": 'attachment; filename="disk.qcow2"',
      "content-length": "1000",
      "content-type": "application/octet-stream",
      etag: ETAG,
      "last-modified": "Wed, 01 May 2024 12:00:00 GMT",
      // what the server turns back into Content-Length (Next.js drops that one)
      "x-bazaar-content-length": "1000",
    });
    expect((await bodyOf(res)).equals(BYTES)).toBe(true);
  });

  it("answers HEAD with Content-Length and no body, without opening the object", async () => {
    const { source, opened } = memorySource();
    const res = await serveBytes({ method: "HEAD", headers: new Headers() }, source, { cacheControl: "x" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe("1000");
    expect(res.body).toBeNull();
    expect(opened).toEqual([]);
  });

  it("answers HEAD with a Range as 206 with its length, and no body", async () => {
    const res = await serve({ range: "bytes=10-19" }, { method: "HEAD" }).res;
    expect(res.status).toBe(206);
    expect(res.headers.get("content-length")).toBe("10");
    expect(res.headers.get("content-range")).toBe("bytes 10-19/1000");
    expect(res.body).toBeNull();
  });

  it.each([
    ["the first bytes", "bytes=0-99", 0, 99],
    ["a middle range", "bytes=400-599", 400, 599],
    ["a suffix", "bytes=-100", 900, 999],
    ["an open end", "bytes=750-", 750, 999],
    ["an end past the object", "bytes=990-5000", 990, 999],
  ])("serves %s as 206 (%s)", async (_what, range, start, end) => {
    const { res, opened } = serve({ range });
    const r = await res;
    expect(r.status).toBe(206);
    expect(r.headers.get("content-range")).toBe(`bytes ${start}-${end}/1000`);
    expect(r.headers.get("content-length")).toBe(String(end - start + 1));
    expect((await bodyOf(r)).equals(BYTES.subarray(start, end + 1))).toBe(true);
    expect(opened).toEqual([{ start, end }]);
  });

  it.each(["bytes=1000-", "bytes=-0", "bytes=5-3", "items=0-1"])(
    "answers an unsatisfiable range (%s) with 416 and the size",
    async (range) => {
      const { res, opened } = serve({ range });
      const r = await res;
      expect(r.status).toBe(416);
      expect(r.headers.get("content-range")).toBe("bytes */1000");
      expect(r.body).toBeNull();
      expect(opened).toEqual([]);
    },
  );

  it("serves a multi-range request whole", async () => {
    const { res, opened } = serve({ range: "bytes=0-1,5-6" });
    const r = await res;
    expect(r.status).toBe(200);
    expect(r.headers.get("content-range")).toBeNull();
    expect((await bodyOf(r)).equals(BYTES)).toBe(true);
    expect(opened).toEqual([undefined]);
  });

  it.each([
    ["a stale entity tag", '"old"'],
    ["a weak entity tag", `W/${ETAG}`],
    ["a stale date", "Tue, 30 Apr 2024 12:00:00 GMT"],
  ])("ignores the Range under If-Range with %s: 200 whole", async (_what, ifRange) => {
    const r = await serve({ range: "bytes=0-9", "if-range": ifRange }).res;
    expect(r.status).toBe(200);
    expect((await bodyOf(r)).length).toBe(1000);
  });

  it.each([
    ["the current entity tag", ETAG],
    ["the current date", "Wed, 01 May 2024 12:00:00 GMT"],
  ])("honours the Range under If-Range with %s", async (_what, ifRange) => {
    const r = await serve({ range: "bytes=0-9", "if-range": ifRange }).res;
    expect(r.status).toBe(206);
    expect((await bodyOf(r)).equals(BYTES.subarray(0, 10))).toBe(true);
  });

  it.each([ETAG, `"other", ${ETAG}`, `W/${ETAG}`, "*"])(
    "answers 304 without a body when If-None-Match (%s) matches",
    async (inm) => {
      const { res, opened } = serve({ "if-none-match": inm, range: "bytes=0-9" });
      const r = await res;
      expect(r.status).toBe(304);
      expect(r.body).toBeNull();
      expect(r.headers.get("etag")).toBe(ETAG);
      expect(r.headers.get("cache-control")).toBe("private, no-store");
      expect(opened).toEqual([]);
    },
  );

  it("serves the object when If-None-Match names another version", async () => {
    const r = await serve({ "if-none-match": '"other"' }).res;
    expect(r.status).toBe(200);
  });

  it("answers If-Modified-Since by the second, and only without If-None-Match", async () => {
    expect((await serve({ "if-modified-since": "Wed, 01 May 2024 12:00:00 GMT" }).res).status).toBe(304);
    expect((await serve({ "if-modified-since": "Wed, 01 May 2024 11:59:59 GMT" }).res).status).toBe(200);
    expect((await serve({ "if-modified-since": "not a date" }).res).status).toBe(200);
    const both = { "if-modified-since": "Wed, 01 May 2024 12:00:00 GMT", "if-none-match": '"other"' };
    expect((await serve(both).res).status).toBe(200);
  });

  it("sends no validators or disposition the source does not have", async () => {
    const { source } = memorySource({ etag: undefined, lastModified: undefined, filename: undefined });
    const r = await serve({ "if-none-match": ETAG, "if-modified-since": "Wed, 01 May 2024 12:00:00 GMT" }, { source })
      .res;
    expect(r.status).toBe(200);
    for (const h of ["etag", "last-modified", "content-disposition"]) expect(r.headers.get(h)).toBeNull();
  });

  it("gives a non-ASCII name an ASCII fallback and the exact name as filename*", async () => {
    const { source } = memorySource({ filename: "Übersicht (neu).qcow2" });
    const r = await serve({}, { source }).res;
    expect(r.headers.get("content-disposition")).toBe(
      `attachment; filename="_bersicht__neu_.qcow2"; filename*=UTF-8''%C3%9Cbersicht%20%28neu%29.qcow2`,
    );
  });

  it("serves an empty object without opening it, and satisfies no range of it", async () => {
    const { source, opened } = memorySource({ size: 0 });
    const whole = await serveBytes({ method: "GET", headers: new Headers() }, source, { cacheControl: "x" });
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-length")).toBe("0");
    expect(opened).toEqual([]);
    const ranged = await serveBytes({ method: "GET", headers: new Headers({ range: "bytes=0-" }) }, source, {
      cacheControl: "x",
    });
    expect(ranged.status).toBe(416);
  });

  it("lets an error from opening the object reach the caller", async () => {
    const { source } = memorySource({ open: () => Promise.reject(new Error("backend down")) });
    await expect(serve({}, { source }).res).rejects.toThrow("backend down");
  });
});

describe("serveBytes under the production server (direct bodies)", () => {
  afterEach(() => enableDirectBodies(false));

  it("registers the opened stream under a one-time token and answers without a body", async () => {
    enableDirectBodies();
    const res = await serve({ range: "bytes=10-19" }).res;
    expect(res.status).toBe(206);
    expect(res.body).toBeNull();
    expect(res.headers.get("content-length")).toBe("10");
    expect(res.headers.get("x-bazaar-content-length")).toBe("10");
    const token = res.headers.get(DIRECT_BODY_HEADER)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(pendingDirectBodies()).toBe(1);
    const stream = takeDirectBody(token)!;
    expect(takeDirectBody(token)).toBeUndefined();
    expect(pendingDirectBodies()).toBe(0);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(BYTES.subarray(10, 20))).toBe(true);
  });

  it("keeps the web stream for a body of unknown length, and registers nothing for HEAD", async () => {
    enableDirectBodies();
    const { source } = memorySource({ sizeIsExact: false });
    const unknown = await serve({}, { source }).res;
    expect(unknown.headers.get(DIRECT_BODY_HEADER)).toBeNull();
    expect((await bodyOf(unknown)).equals(BYTES)).toBe(true);
    const head = await serve({}, { method: "HEAD" }).res;
    expect(head.headers.get(DIRECT_BODY_HEADER)).toBeNull();
    expect(pendingDirectBodies()).toBe(0);
  });
});

describe("serveBytes with a source that redirects", () => {
  const redirecting = () => {
    const calls: string[] = [];
    const { source, opened } = memorySource({
      redirect: async () => {
        calls.push("redirect");
        return "https://s3.example/bucket/key?X-Amz-Signature=abc";
      },
      verify: async (method) => void calls.push(`verify ${method}`),
    });
    return { source, opened, calls };
  };

  it("answers GET (with or without a Range) with a 307 to the URL, after verify, opening nothing", async () => {
    for (const headers of [{}, { range: "bytes=0-9" }] as Record<string, string>[]) {
      const { source, opened, calls } = redirecting();
      const res = await serve(headers, { source }).res;
      expect(res.status).toBe(307);
      expect(res.headers.get("location")).toBe("https://s3.example/bucket/key?X-Amz-Signature=abc");
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      expect(res.body).toBeNull();
      expect(calls).toEqual(["verify GET", "redirect"]);
      expect(opened).toEqual([]);
    }
  });

  it("answers HEAD and a current copy itself, asking for no URL", async () => {
    const { source, calls } = redirecting();
    const head = await serve({}, { source, method: "HEAD" }).res;
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("1000");
    const current = await serve({ "if-none-match": ETAG }, { source }).res;
    expect(current.status).toBe(304);
    expect(calls).toEqual(["verify HEAD", "verify GET"]);
  });
});

describe("contentDisposition", () => {
  it.each([
    ["disk-1.raw", 'attachment; filename="disk-1.raw"'],
    ["my disk.img", `attachment; filename="my_disk.img"; filename*=UTF-8''my%20disk.img`],
    ['a"b\\c.img', `attachment; filename="a_b_c.img"; filename*=UTF-8''a%22b%5Cc.img`],
    ["it's*.iso", `attachment; filename="it_s_.iso"; filename*=UTF-8''it%27s%2A.iso`],
    ["日本.iso", `attachment; filename="__.iso"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.iso`],
  ])("%s", (name, header) => {
    expect(contentDisposition(name)).toBe(header);
  });
});

describe("parseRange", () => {
  const size = 1000;

  it("serves the whole file without a Range header", () => {
    expect(parseRange(null, size)).toBeNull();
    expect(parseRange("", size)).toBeNull();
  });

  it.each([
    ["bytes=0-99", { start: 0, end: 99 }],
    ["bytes=100-199", { start: 100, end: 199 }],
    ["bytes=999-999", { start: 999, end: 999 }],
    ["bytes=500-", { start: 500, end: 999 }],
    ["bytes=0-", { start: 0, end: 999 }],
    ["bytes=-100", { start: 900, end: 999 }],
    ["bytes=-5000", { start: 0, end: 999 }],
    ["bytes=900-5000", { start: 900, end: 999 }],
    [" bytes=1-2 ", { start: 1, end: 2 }],
  ])("%s", (header, range) => {
    expect(parseRange(header, size)).toEqual(range);
  });

  it.each([
    ["bytes=1000-"],
    ["bytes=1000-1001"],
    ["bytes=5-3"],
    ["bytes=-0"],
    ["bytes=-"],
    ["bytes=a-b"],
    ["items=0-1"],
    ["bytes 0-1"],
  ])("%s is unsatisfiable (416)", (header) => {
    expect(parseRange(header, size)).toBe("invalid");
  });

  it("serves a multi-range request whole", () => {
    expect(parseRange("bytes=0-1,5-6", size)).toBeNull();
  });

  it("an empty file satisfies no range", () => {
    expect(parseRange("bytes=0-", 0)).toBe("invalid");
    expect(parseRange("bytes=-1", 0)).toBe("invalid");
  });
});
