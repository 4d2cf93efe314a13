/**
 * Apache ZooKeeper's own CLI (Debian's zookeeper package) driven as a user would: one process,
 * commands on stdin, everything it prints collected. Tests compare what it prints against the
 * embedded engine's wire server and a real ZooKeeper.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

export const ZKCLI = "/usr/share/zookeeper/bin/zkCli.sh";

export function zkCliInstalled(): boolean {
  return existsSync(ZKCLI);
}

/**
 * Runs `zkCli.sh -server <server>` with `input` on stdin; resolves with what it printed once it
 * exits. stderr is joined to stdout in the CLI's own process (one pipe), as a terminal shows it:
 * two pipes read here would interleave in whatever order their chunks arrive, so "Created …" and
 * an error line could swap places on a loaded machine.
 */
export function runZkCli(server: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", 'exec "$0" -server "$1" 2>&1', ZKCLI, server], {
      stdio: ["pipe", "pipe", "ignore"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", () => {
      resolve(out);
    });
    child.stdin.end(input);
  });
}
