/**
 * Property test of the per-path ordering rules against a simulated server and socket: random
 * interleavings of writes, deletes, message deliveries, fetch service and reconnects. Whatever
 * the interleaving, the tracker must deliver versions in increasing mzxid order, never the same
 * state twice in a row, only content that really was that version, and end on the server's
 * final state once the channel is drained.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ConfigSnapshot, VersionInfo } from "@conifer/protocol";
import { PathTracker, type Applied, type TrackerHost } from "./path-tracker.ts";

type Msg =
  | { kind: "notice"; info: VersionInfo; zxid: string }
  | { kind: "answer"; snap: ConfigSnapshot; resolve: (s: ConfigSnapshot) => void; reject: (e: Error) => void };
type Cmd = "write" | "delete" | "deliver" | "serve" | "reply" | "reconnect";

const PATH = "/p";
const tick = () => new Promise<void>((r) => setImmediate(r));

async function simulate(cmds: Cmd[]) {
  let zxid = 100n;
  let node: { mzxid: bigint; version: number; data: string } | undefined;
  const contentAt = new Map<string, string>();
  let channel: Msg[] = [];
  let request: { resolve: (s: ConfigSnapshot) => void; reject: (e: Error) => void } | undefined;
  /** read by the server but not yet sent: notices may overtake it, as with an async handler */
  let served: Extract<Msg, { kind: "answer" }> | undefined;
  let inFlight = 0;
  let maxInFlight = 0;
  let ready = true;
  let epoch = 1;
  const applied: Applied[] = [];

  const info = (): VersionInfo =>
    node
      ? { path: PATH, exists: true, version: node.version, mzxid: String(node.mzxid) }
      : { path: PATH, exists: false, version: -1, mzxid: "0" };
  const host: TrackerHost = {
    fetch: () =>
      new Promise<ConfigSnapshot>((resolve, reject) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const done =
          <T>(f: (x: T) => void) =>
          (x: T) => {
            inFlight--;
            f(x);
          };
        request = { resolve: done(resolve), reject: done(reject) };
      }),
    isReady: () => ready,
    epoch: () => epoch,
    decode: (s) => ({ ok: true, value: s.data }),
    onApplied: (_t, a) => applied.push(a),
    onRejected: () => {},
    onSettled: () => {},
    pause: () => tick(),
  };
  const t = new PathTracker(PATH, host);
  t.hint(info(), undefined, epoch);

  const step = async (cmd: Cmd) => {
    if (cmd === "write") {
      zxid++;
      node = { mzxid: zxid, version: node ? node.version + 1 : 0, data: `content@${zxid}` };
      contentAt.set(String(zxid), node.data);
      channel.push({ kind: "notice", info: info(), zxid: String(zxid) });
    } else if (cmd === "delete" && node) {
      zxid++;
      node = undefined;
      channel.push({ kind: "notice", info: info(), zxid: String(zxid) });
    } else if (cmd === "serve" && request && !served) {
      // the server reads its state when it handles the request...
      const snap: ConfigSnapshot = { ...info(), data: node?.data ?? "", format: "text" };
      served = { kind: "answer", snap, resolve: request.resolve, reject: request.reject };
      request = undefined;
    } else if (cmd === "reply" && served) {
      // ...and sends the answer later, possibly after notices of newer changes
      channel.push(served);
      served = undefined;
    } else if (cmd === "deliver") {
      const msg = channel.shift();
      if (msg?.kind === "notice") t.hint(msg.info, msg.zxid);
      else if (msg) msg.resolve(msg.snap);
    } else if (cmd === "reconnect") {
      // everything in flight is lost (pending requests fail, as socket.io acks do on a
      // disconnect); the new connection's subscribe answer says where the path stands
      ready = false;
      const lost = channel;
      channel = [];
      for (const m of lost) if (m.kind === "answer") m.reject(new Error("disconnected"));
      request?.reject(new Error("disconnected"));
      served?.reject(new Error("disconnected"));
      request = undefined;
      served = undefined;
      await tick();
      epoch++;
      ready = true;
      t.hint(info(), undefined, epoch);
    }
    await tick();
  };

  for (const cmd of cmds) await step(cmd);
  // drain: deliver everything and answer every request until quiet
  for (let i = 0, idle = 0; i < 1000 && idle < 5; i++) {
    if (channel.length > 0 || request || served) {
      idle = 0;
      await step(channel.length > 0 ? "deliver" : served ? "reply" : "serve");
    } else {
      idle++; // the tracker may still be between a pause and its next request
      await tick();
    }
  }
  return { applied, final: info(), current: t.current, contentAt, maxInFlight, pending: t.pending() };
}

const command = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Cmd>("write") },
  { weight: 1, arbitrary: fc.constant<Cmd>("delete") },
  { weight: 4, arbitrary: fc.constant<Cmd>("deliver") },
  { weight: 2, arbitrary: fc.constant<Cmd>("serve") },
  { weight: 2, arbitrary: fc.constant<Cmd>("reply") },
  { weight: 1, arbitrary: fc.constant<Cmd>("reconnect") },
);

describe("PathTracker under random interleavings", () => {
  it("delivers in order, once, true content, and converges", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 40, size: "max" }), async (cmds) => {
        const r = await simulate(cmds);
        expect(r.maxInFlight).toBeLessThanOrEqual(1);
        const existing = r.applied.filter((a) => a.exists).map((a) => BigInt(a.mzxid));
        expect(existing.every((m, i) => i === 0 || m > existing[i - 1]!)).toBe(true);
        for (const [i, a] of r.applied.entries()) {
          if (a.exists) expect(a.raw).toBe(r.contentAt.get(a.mzxid));
          if (i > 0) expect(a.exists || r.applied[i - 1]!.exists).toBe(true); // never "deleted" twice in a row
        }
        expect(r.pending).toBe(false);
        expect(r.current?.exists ?? false).toBe(r.final.exists);
        if (r.final.exists) expect(r.current?.mzxid).toBe(r.final.mzxid);
      }),
      {
        numRuns: 1000,
        // found by hand: a fetch read before a delete but answered after its notice
        examples: [
          [
            [
              "write",
              "deliver",
              "serve",
              "reply",
              "deliver",
              "write",
              "deliver",
              "serve",
              "delete",
              "deliver",
              "reply",
              "deliver",
            ],
          ],
        ],
      },
    );
  });
});
