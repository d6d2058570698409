/**
 * A job worker in a process of its own for job-wake.test.ts: it runs the test's job kind and
 * looks for work on its own only once an hour, so a job it runs soon after being queued was
 * announced to it. Prints `ready` once it listens. The zone's id comes in WAKE_TEST_ZONE_ID.
 */
import { z } from "zod";
import { parseConfig, setConfigForTests } from "@/lib/config";
import { defineJob } from "@/lib/jobs/define-job";
import { registerJobForTests } from "@/lib/jobs/registry";
import { startWorker } from "@/lib/jobs/worker";

setConfigForTests(parseConfig(process.env));
registerJobForTests(defineJob({ kind: "test.wake", schema: z.object({}), run: async () => {} }));
const worker = startWorker({
  zoneId: Number(process.env.WAKE_TEST_ZONE_ID),
  pollMs: 3_600_000,
  log: (l) => console.log(l),
});
await worker.ready;
console.log("ready");
process.once("SIGTERM", () => void worker.stop().then(() => process.exit(0)));
