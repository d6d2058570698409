/**
 * Sentences for the operating system's and the network's errors. Node words them for
 * programmers ("ENOENT: no such file or directory, statfs '/srv/x'", "connect ECONNREFUSED
 * 127.0.0.1:9000"); jobs, monitors and images store the message of whatever failed, and users
 * read it on the Jobs page and the object's page. Each such fragment of a message is replaced
 * by a sentence that names the path or the address; the rest of the message (which says what
 * was being done) is kept. Applied where the messages are shown, so rows stored before read the
 * same way.
 */

/** What the system call on a path was working on, for the sentence: a folder or a file. */
const FOLDER_CALLS = new Set(["statfs", "scandir", "opendir", "mkdir", "rmdir", "chdir"]);

function pathSentence(code: string, syscall: string, path: string, dest?: string): string | null {
  const what = FOLDER_CALLS.has(syscall) ? "folder" : "file or folder";
  switch (code) {
    case "ENOENT":
      return syscall === "rename" && dest
        ? `${path} could not be moved to ${dest}: one of them does not exist`
        : `the ${what} ${path} does not exist`;
    case "EACCES":
    case "EPERM":
      return `the portal is not allowed to use ${path} (permission denied)`;
    case "ENOSPC":
      return `there is no space left on the disk of ${path}`;
    case "EDQUOT":
      return `the disk quota of the portal's user is exhausted at ${path}`;
    case "EROFS":
      return `${path} is on a read-only file system`;
    case "ENOTDIR":
      return `a part of ${path} is a file where a folder was expected`;
    case "EISDIR":
      return `${path} is a folder where a file was expected`;
    case "EEXIST":
      return `${path} exists already`;
    case "ENOTEMPTY":
      return `the folder ${path} is not empty`;
    case "EMFILE":
    case "ENFILE":
      return `too many files are open to open ${path}`;
    case "EIO":
      return `the disk failed to read or write ${path} (I/O error)`;
    case "ENAMETOOLONG":
      return `the name ${path} is too long for the file system`;
    default:
      return null;
  }
}

function networkSentence(code: string, target: string): string | null {
  switch (code) {
    case "ECONNREFUSED":
      return `nothing answers at ${target} (connection refused)`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `the host name ${target} could not be resolved`;
    case "ETIMEDOUT":
      return `${target} did not answer in time`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${target} cannot be reached from here (no route)`;
    case "ECONNRESET":
      return `${target} closed the connection unexpectedly`;
    default:
      return null;
  }
}

// "ENOENT: no such file or directory, statfs '/srv/x'" (and " -> '/dest'" for two paths)
const PATH_ERROR = /\b(E[A-Z]+): [^,]+, ([a-z]+) '([^']*)'(?: -> '([^']*)')?/g;
// "connect ECONNREFUSED 127.0.0.1:9000", "getaddrinfo ENOTFOUND s3.example", "read ECONNRESET"
const NETWORK_ERROR = /\b(?:connect|getaddrinfo|read|write) (E[A-Z_]+)(?: ([^\s,;)]+))?/g;

/** The message with every system error in it told as a sentence; anything else unchanged. */
export function describeSystemErrors(message: string): string {
  if (!message.includes("E")) return message;
  return message
    .replace(PATH_ERROR, (whole, code: string, syscall: string, path: string, dest?: string) => {
      return pathSentence(code, syscall, path, dest) ?? whole;
    })
    .replace(NETWORK_ERROR, (whole, code: string, target?: string) => {
      return networkSentence(code, target ?? "the server") ?? whole;
    });
}
