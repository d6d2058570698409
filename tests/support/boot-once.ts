// One portal start-up and nothing more, in a process of its own: what every instance (web
// server or `npm run worker`) does first. Tests start several at once on one database.
import { boot } from "@/lib/boot/boot";
import { disconnectDb } from "@/lib/db/client";

await boot();
await disconnectDb();
