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

/** runs `zkCli.sh -server <server>` with `input` on stdin; resolves with stdout + stderr once it exits */
export function runZkCli(server: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(ZKCLI, ["-server", server], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", () => {
      resolve(out);
    });
    child.stdin.end(input);
  });
}
