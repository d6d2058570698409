/**
 * The S3 service of `bench/markets.ts`, in a process of its own so that neither the portal's
 * worker nor the SDK baseline shares a CPU thread with it: s3rver (with the test shim) on
 * 127.0.0.1, storing under the directory given. Prints `S3 <endpoint>` once it listens.
 */
import { startS3 } from "@/tests/support/s3";

const s3 = await startS3({ directory: process.argv[2] });
console.log(`S3 ${s3.endpoint}`);
process.once("SIGTERM", () => void s3.stop().then(() => process.exit(0)));
