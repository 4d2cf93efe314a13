/**
 * A client asking for readOnly = true from a standalone server: Apache ZooKeeper 3.8 gives it an
 * ordinary read-write session and answers readOnly = false (it is not a ReadOnlyZooKeeperServer),
 * also when it refuses an unknown session. The wire server must send the same bytes.
 */
import net from "node:net";
import { JuteWriter } from "@conifer/zookeeper/wire";
import { startEnsemble, zookeeperInstalled } from "@conifer/zookeeper/testing";
import type { Ensemble } from "@conifer/zookeeper/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWire } from "./fixture.ts";
import type { WireFixture } from "./fixture.ts";
import { closed } from "./raw.ts";

function readOnlyConnect(sessionId: bigint): Buffer {
  return new JuteWriter().int(0).long(0n).int(10_000).long(sessionId).buffer(Buffer.alloc(16)).bool(true).frame();
}

function createFrame(xid: number, path: string): Buffer {
  const w = new JuteWriter().int(xid).int(1).ustring(path).buffer(Buffer.from("v"));
  w.int(1).int(31).ustring("world").ustring("anyone");
  return w.int(0).frame();
}

/** sends the frames and collects the reply frames' bodies until `count` arrived or the server closed */
function exchange(address: string, frames: Buffer[], count: number): Promise<Buffer[]> {
  const [host, port] = address.split(":");
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(port), host, () => {
      s.write(Buffer.concat(frames));
    });
    let pending = Buffer.alloc(0);
    const bodies: Buffer[] = [];
    s.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const len = pending.readInt32BE(0);
        bodies.push(pending.subarray(4, 4 + len));
        pending = pending.subarray(4 + len);
      }
      if (bodies.length >= count) s.destroy();
    });
    s.on("error", reject);
    void closed(s).then(() => {
      resolve(bodies);
    });
  });
}

describe.skipIf(!zookeeperInstalled())("readOnly = true against a standalone server", () => {
  let wire: WireFixture;
  let zk: Ensemble;

  beforeAll(async () => {
    [wire, zk] = await Promise.all([startWire(), startEnsemble({ size: 1, tickTimeMs: 2000 })]);
  }, 300_000);

  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
    await wire?.stop();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
    await zk?.stop();
  });

  it("gets a read-write session with readOnly = false, as ZooKeeper 3.8 answers", async () => {
    const frames = [readOnlyConnect(0n), createFrame(1, "/ro-client")];
    const [ours, theirs] = await Promise.all([
      exchange(wire.connectString, frames, 2),
      exchange(zk.members[0]!.address, frames, 2),
    ]);
    for (const replies of [ours, theirs]) {
      const [connect, create] = replies;
      expect(connect?.length).toBe(37);
      expect(connect?.readUInt8(36)).toBe(0);
      // the create succeeded: a read-write session
      expect(create?.readInt32BE(12)).toBe(0);
    }
  }, 120_000);

  it("refuses an unknown session with the same bytes, readOnly = false", async () => {
    const frames = [readOnlyConnect(0x1234n)];
    const [ours, theirs] = await Promise.all([
      exchange(wire.connectString, frames, 1),
      exchange(zk.members[0]!.address, frames, 1),
    ]);
    expect(theirs[0]?.length).toBe(37);
    expect(ours[0]?.toString("hex")).toBe(theirs[0]?.toString("hex"));
  }, 120_000);
});
