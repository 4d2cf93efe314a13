/**
 * The release-atomicity scenario shared by the embedded and ZooKeeper suites: 20 keys created
 * through the API, SDK clients watching all 20 with `watchMany`, then one backend multi sets
 * all 20 at one zxid. Every callback must see all-old or all-new, never a mix.
 */
import { expect } from "vitest";
import type { Session } from "@conifer/coordinator";
import type { ConiferClient, Snapshot } from "@conifer/sdk";
import type { ClientPool } from "@conifer/sdk/testing";
import { eventually, publish, type Api } from "./sdk-fixtures.ts";

export const KEYS = 20;

export async function releaseScenario(opts: {
  api: Api;
  urls: string[];
  clients: ClientPool;
  session: Session;
  prefix: string;
  perServer: number;
}): Promise<{ zxid: bigint; sdks: ConiferClient[] }> {
  const paths = Array.from({ length: KEYS }, (_, i) => `${opts.prefix}/k${String(i).padStart(2, "0")}.json`);
  for (const p of paths) await publish(opts.api, p, JSON.stringify({ release: "old" }));
  const sdks = opts.urls.flatMap((url) =>
    Array.from({ length: opts.perServer }, () => opts.clients.make({ url, app: "release-watch" })),
  );
  const seen: Map<string, Snapshot>[][] = sdks.map(() => []);
  await Promise.all(sdks.map((c) => Promise.all(paths.map((p) => c.get(p)))));
  const releases: string[][] = sdks.map(() => []);
  sdks.forEach((c, i) => {
    c.watchMany(paths, (snaps) => seen[i]!.push(new Map(snaps)));
    c.onRelease((r) => releases[i]!.push(`${r.zxid}:${r.paths.length}`));
  });

  const { zxid } = await opts.session.multi(
    paths.map((path) => ({ type: "setData" as const, path, data: Buffer.from(JSON.stringify({ release: "new" })) })),
  );
  await eventually(
    () => seen.every((calls) => calls.some((s) => [...s.values()].every((v) => mark(v) === "new"))),
    "every SDK sees the new release",
  );
  await eventually(() => releases.every((r) => r.length > 0), "every SDK applied the release completely");
  for (const r of releases) expect(r).toEqual([`${zxid}:${KEYS}`]);
  for (const calls of seen) {
    for (const snaps of calls) {
      expect(snaps.size).toBe(KEYS);
      const marks = new Set([...snaps.values()].map(mark));
      expect([...marks], "one callback saw a mix of old and new").toHaveLength(1);
      const mzxids = new Set([...snaps.values()].map((s) => s.meta.mzxid));
      if (marks.has("new")) expect([...mzxids]).toEqual([zxid.toString()]);
    }
    // once per release: the new state is delivered exactly once
    expect(calls.filter((s) => [...s.values()].every((v) => mark(v) === "new"))).toHaveLength(1);
  }
  return { zxid, sdks };
}

function mark(s: Snapshot): unknown {
  return (s.value as { release?: unknown } | undefined)?.release;
}
