/**
 * The data-dir lock: one process at a time may own a data dir, or two logs would interleave
 * and acknowledged writes would be lost. `LOCK` names its owner (pid, start time, boot id,
 * host, a random token). It is created atomically with its whole content: written under a
 * private name, then hard-linked to `LOCK`, which fails with EEXIST like O_EXCL does, so no
 * reader ever sees a half-written lock. A lock whose owner is provably gone (killed -9, pid
 * reused, machine rebooted) is taken over; any other is refused with StorageError("LOCKED").
 */
import { randomBytes } from "node:crypto";
import { link, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";

import { StorageError } from "./errors.ts";
import { currentProcess, isGone, type ProcessIdentity } from "./process-identity.ts";

export const LOCK_FILE = "LOCK";

interface LockContent extends ProcessIdentity {
  token: string;
}

function parse(raw: string): LockContent | null {
  try {
    const v = JSON.parse(raw) as Partial<LockContent>;
    if (typeof v.pid !== "number" || typeof v.host !== "string" || typeof v.token !== "string") return null;
    return { pid: v.pid, start: v.start ?? null, boot: v.boot ?? null, host: v.host, token: v.token };
  } catch {
    return null;
  }
}

async function readRaw(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

function lockedError(dir: string, holder: LockContent | null, raw: string): StorageError {
  if (!holder) {
    return new StorageError(
      "LOCKED",
      `data dir ${dir} has an unreadable ${LOCK_FILE} file (${JSON.stringify(raw.slice(0, 80))}); remove it only if no process uses this dir`,
      {
        dir,
      },
    );
  }
  const self = holder.pid === process.pid && holder.host === currentProcess().host;
  const who = self ? `this process (pid ${holder.pid}) already` : `process ${holder.pid} on host ${holder.host}`;
  return new StorageError(
    "LOCKED",
    `data dir ${dir} is in use: ${who} has it open, and one process at a time may open it`,
    {
      dir,
      holderPid: holder.pid,
    },
  );
}

/** An acquired lock; release() removes `LOCK` if it is still ours. */
export class DirLock {
  private released = false;

  private constructor(
    private readonly path: string,
    private readonly raw: string,
  ) {}

  /** Takes the lock of `dir` (which must exist), or throws StorageError("LOCKED"). */
  static async acquire(dir: string): Promise<DirLock> {
    const path = join(dir, LOCK_FILE);
    const token = randomBytes(8).toString("hex");
    const raw = JSON.stringify({ ...currentProcess(), token } satisfies LockContent) + "\n";
    const staged = `${path}.${process.pid}.${token}`;
    await writeFile(staged, raw, { flag: "wx" });
    try {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        if (await create(staged, path)) return new DirLock(path, raw);
        const held = await readRaw(path);
        if (held === null) continue;
        const holder = parse(held);
        if (!holder || !isGone(holder)) throw lockedError(dir, holder, held);
        // stale: only the holder of LOCK.takeover may remove it, so two openers racing to
        // take over cannot both end up owning the dir
        const takeover = `${path}.takeover`;
        if (await create(staged, takeover)) {
          try {
            // nobody else can replace LOCK while it exists, so it is still the one judged stale
            if ((await readRaw(path)) === held) await unlink(path);
            if (await create(staged, path)) return new DirLock(path, raw);
          } finally {
            await unlink(takeover).catch(() => undefined);
          }
          continue;
        }
        const busy = await readRaw(takeover);
        const taker = busy === null ? null : parse(busy);
        // a taker killed mid-takeover left its file behind: clear it the careful way
        if (busy !== null && taker && isGone(taker)) await removeIfUnchanged(takeover, busy, token);
        else await new Promise((r) => setTimeout(r, 5));
      }
      throw new StorageError(
        "LOCKED",
        `data dir ${dir}: gave up waiting for another process taking over its ${LOCK_FILE} file`,
        { dir },
      );
    } finally {
      await unlink(staged).catch(() => undefined);
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    // never remove a lock someone else holds (it was taken over while we looked dead)
    if ((await readRaw(this.path).catch(() => null)) === this.raw) await unlink(this.path).catch(() => undefined);
  }
}

/** Creates `target` with the staged content, atomically and only if it does not exist (like O_EXCL). */
async function create(staged: string, target: string): Promise<boolean> {
  try {
    await link(staged, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/**
 * Removes a file only if it still holds `stale`: it is moved aside atomically, then compared;
 * anything else found there is put back. Used for a takeover file whose owner died.
 */
async function removeIfUnchanged(path: string, stale: string, token: string): Promise<void> {
  const aside = `${path}.stale.${process.pid}.${token}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  if ((await readRaw(aside)) !== stale) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}
