// `npm run worker`: a job worker on its own (for instances that serve no pages, or to run
// more workers than web servers). Set BAZAAR_WORKER=0 on the web servers to run only these.
import { boot, startLocalWorker } from "@/lib/boot/boot";

await boot();
const worker = await startLocalWorker();
console.log(`[worker] ${worker.id} running; Ctrl-C to stop`);
