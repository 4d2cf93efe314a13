/** One line describing the machine and its load, printed with every benchmark's table. */
import { cpus, loadavg, totalmem } from "node:os";

export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
  const load = loadavg().map((l) => l.toFixed(2)).join(" ");
  return `${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, load average ${load}, ${new Date().toISOString()}`;
}
