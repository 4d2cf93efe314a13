/**
 * Unit test of when the session registers a watch: against a scripted server that answers a
 * pipelined getData(watch) + setData with one TCP write holding the getData reply, the
 * notification and the setData reply (what a real ZooKeeper does now and then, see the
 * contract case), the watcher must get the event. Registering only once the caller's promise
 * continues loses it every time.
 */
import net from "node:net";
import type { WatchEvent } from "@conifer/coordinator";
import { afterEach, describe, expect, it } from "vitest";
import { ZooKeeperSession } from "./session.ts";
import { FrameSplitter, JuteReader, JuteWriter } from "./wire/jute.ts";
import { OpCode, Xid } from "./wire/records.ts";

const servers: net.Server[] = [];
const sessions: ZooKeeperSession[] = [];

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  await Promise.all(servers.splice(0).map((srv) => new Promise((r) => srv.close(r))));
});

function writeStat(w: JuteWriter, zxid: bigint): JuteWriter {
  // czxid mzxid ctime mtime version cversion aversion ephemeralOwner dataLength numChildren pzxid
  return w.long(zxid).long(zxid).long(0n).long(0n).int(0).int(0).int(0).long(0n).int(0).int(0).long(zxid);
}

/**
 * A server speaking just enough of the protocol: the handshake, and for a getData followed by
 * a setData on the same path, one write holding both replies with the notification between.
 */
async function scriptedServer(): Promise<number> {
  const server = net.createServer((socket) => {
    const frames = new FrameSplitter();
    let handshake = true;
    let heldRead: { xid: number; path: string } | null = null;
    socket.on("data", (chunk: Buffer) => {
      for (const frame of frames.push(chunk)) {
        if (handshake) {
          handshake = false;
          socket.write(new JuteWriter().int(0).int(10_000).long(0x42n).buffer(Buffer.alloc(16)).frame());
          continue;
        }
        const r = new JuteReader(frame);
        const xid = r.int();
        const op = r.int();
        if (op === OpCode.ping) {
          socket.write(new JuteWriter().int(Xid.ping).long(0n).int(0).frame());
        } else if (op === OpCode.closeSession) {
          socket.end(new JuteWriter().int(xid).long(3n).int(0).frame());
        } else if (op === OpCode.getData) {
          heldRead = { xid, path: r.ustring() ?? "" };
        } else if (op === OpCode.setData && heldRead) {
          const read = heldRead;
          heldRead = null;
          const reply = writeStat(new JuteWriter().int(read.xid).long(1n).int(0).buffer(Buffer.from("v0")), 1n);
          const event = new JuteWriter().int(Xid.notification).long(-1n).int(0).int(3).int(3).ustring(read.path);
          const written = writeStat(new JuteWriter().int(xid).long(2n).int(0), 2n);
          socket.write(Buffer.concat([reply.frame(), event.frame(), written.frame()]));
        }
      }
    });
    socket.on("error", () => {});
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as net.AddressInfo).port;
}

describe("ZooKeeperSession watch registration", () => {
  it("registers a getData watch as its reply is read: a notification in the same chunk reaches it", async () => {
    const port = await scriptedServer();
    const s = new ZooKeeperSession(
      { hosts: [{ host: "127.0.0.1", port }], timeoutMs: 10_000, connectDeadlineMs: 30_000 },
      "",
    );
    sessions.push(s);
    await s.start([]);
    const events: WatchEvent[] = [];
    const read = s.getData("/w", (e) => events.push(e));
    await s.setData("/w", Buffer.from("v1"));
    expect((await read).data.toString()).toBe("v0");
    expect(events).toEqual([{ type: "NodeDataChanged", path: "/w" }]);
  });
});
