/** One line describing the machine and its load, printed with every benchmark's table. */
import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";

export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  return `${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, load average ${load}, ${new Date().toISOString()}`;
}

const TICKS_PER_S = Number(execSync("getconf CLK_TCK").toString().trim()) || 100;

/**
 * CPU seconds (user + system) a process has used so far, from /proc. CPU time per operation
 * hardly moves with a shared machine's background load, unlike throughput and latency.
 */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // fields after the ")" that closes the command name; utime and stime are fields 14 and 15
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}
