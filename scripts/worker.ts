// `npm run worker`: a job worker on its own (for instances that serve no pages, or to run
// more workers than web servers). Set BAZAAR_WORKER=0 on the web servers to run only these.
import { boot, startLocalWorker } from "@/lib/boot/boot";

// it listens on no port: the zone's endpoint is what its web servers set (BAZAAR_PUBLIC_URL)
await boot(undefined, { serves: false });
const worker = await startLocalWorker();
console.log(`[worker] ${worker.id} running; Ctrl-C to stop`);
