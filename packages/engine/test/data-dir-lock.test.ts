/**
 * The data-dir lock with real processes: a second process is refused while the first lives
 * (and so is a second open in the same process); after the first is killed with SIGKILL a new
 * process takes the dir over and finds every acknowledged write; a LOCK left by a dead pid is
 * taken over; close() releases the dir while the process goes on living.
 */
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { Engine, StorageError } from "../src/index.ts";
import { bootId, startTimeOf } from "../src/storage/process-identity.ts";
import { tempDir } from "../src/testing/storage.ts";
import { bundleFixture, fixture, runChild, startChild, type LiveChild } from "./fixtures/child.ts";

let holder = "";
let opener = "";
let removeBundle = async () => {};
beforeAll(async () => {
  const { dir, cleanup } = await tempDir("lock-bundle");
  removeBundle = cleanup;
  [holder, opener] = await Promise.all([
    bundleFixture(fixture("lock-holder.ts"), dir),
    bundleFixture(fixture("lock-opener.ts"), dir),
  ]);
});
afterAll(() => removeBundle());

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function dataDir(): Promise<string> {
  const { dir, cleanup } = await tempDir("lock");
  cleanups.push(cleanup);
  return dir;
}

function hold(dir: string, mode: "hold" | "close"): LiveChild {
  const child = startChild(holder, [dir, mode]);
  cleanups.push(() => child.kill());
  return child;
}

async function tryOpen(dir: string): Promise<string[]> {
  const run = await runChild(opener, [dir], {});
  expect(run.code, run.stderr).toBe(0);
  return run.lines;
}

/** a pid that was just used and is now provably free: a child that has exited */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((r) => child.on("close", r));
  return child.pid!;
}

describe("data-dir lock", () => {
  it(
    "refuses a second process (and a second open in the same process) while the first lives",
    { timeout: 60_000 },
    async () => {
      const dir = await dataDir();
      const first = hold(dir, "hold");
      await first.waitFor("holding");
      const lines = await tryOpen(dir);
      expect(lines[0]).toBe(`refused LOCKED ${first.pid}`);
      expect(lines[1]).toContain(dir);
      expect(lines[1]).toContain(`process ${first.pid}`);

      const refused = await Engine.open({ dataDir: dir, fsync: false }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(StorageError);
      expect(refused).toMatchObject({ code: "LOCKED", holderPid: first.pid, dir });

      const mine = await Engine.open({ dataDir: await dataDir(), fsync: false });
      const again = await Engine.open({ dataDir: mine.opts.dataDir, fsync: false }).catch((e: unknown) => e);
      expect(again).toMatchObject({ code: "LOCKED", holderPid: process.pid });
      expect((again as Error).message).toContain("this process");
      await mine.close();
    },
  );

  it(
    "after the holder is killed with SIGKILL, a new process opens the dir with every acknowledged write",
    { timeout: 60_000 },
    async () => {
      const dir = await dataDir();
      const first = hold(dir, "hold");
      await first.waitFor("holding");
      const acked = first.lines.filter((l) => l.startsWith("ack ")).map((l) => l.slice(4));
      expect(acked.length).toBe(20);
      await first.kill();
      // the killed holder could not clean up: its LOCK is still there, naming a dead pid
      expect(JSON.parse(await readFile(join(dir, "LOCK"), "utf8"))).toMatchObject({ pid: first.pid });
      const lines = await tryOpen(dir);
      expect(lines[0]).toBe("opened");
      const nodes = new Set(lines.filter((l) => l.startsWith("node ")).map((l) => l.slice(5)));
      for (const a of acked) expect(nodes.has(a), `acknowledged ${a}`).toBe(true);
      expect(lines.at(-1)).toBe("closed");
    },
  );

  it(
    "takes over a LOCK whose pid is dead or reused by another process, and refuses a live one",
    { timeout: 60_000 },
    async () => {
      const dir = await dataDir();
      const boot = bootId();
      const lock = (pid: number, start: string | null) =>
        JSON.stringify({ pid, start, boot, host: hostname(), token: "t" });

      await writeFile(join(dir, "LOCK"), lock(await deadPid(), "1"));
      expect((await tryOpen(dir))[0]).toBe("opened");

      // our own pid with another start time: the pid was reused, the old owner is gone
      await writeFile(join(dir, "LOCK"), lock(process.pid, "1"));
      const engine = await Engine.open({ dataDir: dir, fsync: false });
      expect(JSON.parse(await readFile(join(dir, "LOCK"), "utf8"))).toMatchObject({
        pid: process.pid,
        host: hostname(),
      });
      await engine.close();

      // a live process with its real start time holds it: refused
      const live = hold(await dataDir(), "hold");
      await live.waitFor("holding");
      await writeFile(join(dir, "LOCK"), lock(live.pid, startTimeOf(live.pid)));
      expect((await tryOpen(dir))[0]).toBe(`refused LOCKED ${live.pid}`);
    },
  );

  it("close() releases the dir although the process lives on", { timeout: 60_000 }, async () => {
    const dir = await dataDir();
    const first = hold(dir, "close");
    await first.waitFor("closed");
    await expect(readFile(join(dir, "LOCK"))).rejects.toMatchObject({ code: "ENOENT" });
    const lines = await tryOpen(dir);
    expect(lines[0]).toBe("opened");
    expect(lines.filter((l) => l.startsWith("node ")).length).toBe(20);
  });
});
