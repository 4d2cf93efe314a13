/**
 * Who a process is, well enough to tell later whether it is still running: its pid plus the
 * kernel's start time for that pid and the machine's boot id (Linux /proc). A pid alone is not
 * enough: after a crash the pid can be reused by an unrelated process, and after a reboot (or
 * in a restarted container) low pids come back almost surely. Used by the data-dir lock.
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

export interface ProcessIdentity {
  pid: number;
  /** field 22 of /proc/<pid>/stat (clock ticks after boot); null where /proc is unavailable */
  start: string | null;
  /** /proc/sys/kernel/random/boot_id; null where unavailable */
  boot: string | null;
  host: string;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** start time of a pid, or null if it has no /proc entry (gone, or no /proc on this OS) */
export function startTimeOf(pid: number): string | null {
  const stat = readOrNull(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // the command name (field 2) may hold spaces and parentheses: count fields after its last ")"
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[19] ?? null;
}

export function bootId(): string | null {
  return readOrNull("/proc/sys/kernel/random/boot_id")?.trim() || null;
}

export function currentProcess(): ProcessIdentity {
  return { pid: process.pid, start: startTimeOf(process.pid), boot: bootId(), host: hostname() };
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it just belongs to someone else
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * True only when the process is provably gone: its pid is not running, or the pid now belongs
 * to a different process (other start time), or the machine rebooted since. Anything we cannot
 * prove (another host, no /proc) counts as alive.
 */
export function isGone(holder: ProcessIdentity): boolean {
  if (holder.host !== hostname()) return false;
  const boot = bootId();
  if (holder.boot !== null && boot !== null && holder.boot !== boot) return true;
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return false;
  if (!pidExists(holder.pid)) return true;
  if (holder.start === null) return false;
  const start = startTimeOf(holder.pid);
  // no /proc entry although kill(0) found it: with /proc mounted it has just exited; without
  // /proc we cannot prove anything
  if (start === null) return boot !== null;
  return start !== holder.start;
}
