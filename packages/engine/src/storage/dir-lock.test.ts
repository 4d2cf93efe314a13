/**
 * DirLock on its own: racing takeovers of one stale lock leave exactly one owner, release
 * never removes a lock that is not ours, and an unreadable LOCK is refused, not guessed at.
 */
import { spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

import { DirLock } from "./dir-lock.ts";
import { StorageError } from "./errors.ts";
import { bootId } from "./process-identity.ts";
import { tempDir } from "../testing/storage.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function dir(): Promise<string> {
  const t = await tempDir("dirlock");
  cleanups.push(t.cleanup);
  return t.dir;
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((r) => child.on("close", r));
  return child.pid!;
}

describe("DirLock", () => {
  it("lets exactly one of many concurrent openers take over a stale lock", async () => {
    const pid = await deadPid();
    for (let attempt = 0; attempt < 20; attempt++) {
      const d = await dir();
      await writeFile(
        join(d, "LOCK"),
        JSON.stringify({ pid, start: "1", boot: bootId(), host: hostname(), token: "old" }),
      );
      const results = await Promise.allSettled(Array.from({ length: 8 }, () => DirLock.acquire(d)));
      const won = results.filter((r) => r.status === "fulfilled");
      expect(won.length, `attempt ${attempt}`).toBe(1);
      for (const r of results) {
        if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "LOCKED", holderPid: process.pid });
      }
      await (won[0] as PromiseFulfilledResult<DirLock>).value.release();
      expect(await readdir(d)).toEqual([]);
    }
  });

  it("clears a takeover file left by an opener killed mid-takeover", async () => {
    const d = await dir();
    const stale = (token: string) => JSON.stringify({ pid: 0, start: "1", boot: bootId(), host: hostname(), token });
    const pid = await deadPid();
    await writeFile(join(d, "LOCK"), stale("old").replace('"pid":0', `"pid":${pid}`));
    await writeFile(join(d, "LOCK.takeover"), stale("taker").replace('"pid":0', `"pid":${pid}`));
    const lock = await DirLock.acquire(d);
    expect(JSON.parse(await readFile(join(d, "LOCK"), "utf8"))).toMatchObject({ pid: process.pid });
    await lock.release();
    expect(await readdir(d)).toEqual([]);
  });

  it("release leaves alone a LOCK that is no longer ours", async () => {
    const d = await dir();
    const lock = await DirLock.acquire(d);
    await writeFile(join(d, "LOCK"), "someone else\n");
    await lock.release();
    expect(await readFile(join(d, "LOCK"), "utf8")).toBe("someone else\n");
  });

  it("refuses an unreadable LOCK rather than guessing", async () => {
    const d = await dir();
    await writeFile(join(d, "LOCK"), "garbage");
    const err = await DirLock.acquire(d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err).toMatchObject({ code: "LOCKED", dir: d });
  });
});
