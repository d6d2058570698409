// The floor of serving a file from Node without sendfile, for bench/downloads.ts: a plain
// node:http server that answers a Range of one file the way the portal's direct path does
// (lib/api/direct-body.mjs, pumpFile): pread of 256 KiB into two buffers that take turns, each
// written into the socket and read into again once the socket has taken it. No routing, no
// auth, no framework: what is left is Node's own cost per byte.
//
//   node bench/node-floor.mjs <file> <port>     prints "listening" when ready
import { read, openSync, fstatSync } from "node:fs";
import { createServer } from "node:http";

const [file, port] = process.argv.slice(2);
const CHUNK = 256 * 1024;
const fd = openSync(file, "r");
const size = fstatSync(fd).size;
const pread = (buffer, length, position) =>
  new Promise((resolve, reject) => read(fd, buffer, 0, length, position, (err, n) => (err ? reject(err) : resolve(n))));

createServer(async (req, res) => {
  const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
  const first = range ? Number(range[1]) : 0;
  const last = range ? Math.min(Number(range[2]), size - 1) : size - 1;
  res.writeHead(range ? 206 : 200, {
    "content-length": last - first + 1,
    ...(range ? { "content-range": `bytes ${first}-${last}/${size}` } : {}),
  });
  const buffers = [Buffer.allocUnsafeSlow(CHUNK), Buffer.allocUnsafeSlow(CHUNK)];
  const inFlight = [Promise.resolve(), Promise.resolve()];
  let closed = false;
  res.once("close", () => (closed = true));
  for (let i = 0, position = first; position <= last && !closed; i ^= 1) {
    await inFlight[i];
    const n = await pread(buffers[i], Math.min(CHUNK, last - position + 1), position);
    position += n;
    inFlight[i] = new Promise((resolve) => res.write(buffers[i].subarray(0, n), resolve));
  }
  await Promise.all(inFlight);
  res.end();
}).listen(Number(port), "127.0.0.1", () => console.log("listening"));
