import { readdirSync, readFileSync } from "node:fs";

/**
 * What this process holds beyond its own JavaScript: threads (md5 worker threads among them)
 * and child processes (bzip2, xz, qemu-img), read from /proc so tests can check that a
 * transfer ends them all. Linux only, like the portal's deployment.
 */

/** Threads of this process (worker threads included). */
export function threadCount(): number {
  return Number(/^Threads:\s+(\d+)$/m.exec(readFileSync("/proc/self/status", "utf8"))![1]);
}

/** The command names of this process's live (not zombie) children. */
export function childProcessNames(): string[] {
  const names: string[] = [];
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    // pid (comm) state ppid ...; comm may hold spaces and parentheses
    const end = stat.lastIndexOf(")");
    const [state, ppid] = stat.slice(end + 2).split(" ");
    if (Number(ppid) === process.pid && state !== "Z") names.push(stat.slice(stat.indexOf("(") + 1, end));
  }
  return names;
}
