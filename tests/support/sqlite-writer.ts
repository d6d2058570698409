// A second process writing the test's SQLite file as a job worker does (`npm run worker` beside
// the web server): transactions that read, then write, until SIGTERM. It prints "ready", and at
// the end one JSON line: how many transactions committed and the errors it met.
import { db, disconnectDb } from "@/lib/db/client";

let stopping = false;
process.once("SIGTERM", () => (stopping = true));
let committed = 0;
const errors: string[] = [];

console.log("ready");
while (!stopping) {
  try {
    await db().$transaction(async (tx) => {
      const seen = await tx.auditEvent.count({ where: { action: "test.writer" } });
      await tx.auditEvent.create({
        data: { actorName: "writer", action: "test.writer", objectType: "TEST", objectName: String(seen) },
      });
    });
    committed++;
  } catch (err) {
    const { code } = err as { code?: string };
    errors.push(`${code ?? ""} ${(err as Error).message.trim().split("\n").at(-1)}`);
  }
  // a worker writes in bursts (claims, heartbeats, progress), not in one tight loop
  await new Promise((r) => setTimeout(r, Math.random() * 4));
}
console.log(JSON.stringify({ committed, errors }));
await disconnectDb();
