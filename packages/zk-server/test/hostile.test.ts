/**
 * Hostile clients close their own connection only: too many connections from one address,
 * no ConnectRequest in time, an oversize frame, a client that stops reading. A well-behaved
 * session on the same server keeps working through all of it.
 */
import { createZooKeeperBackend } from "@conifer/zookeeper";
import type { Backend, Session } from "@conifer/coordinator";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startWire } from "./fixture.ts";
import type { WireFixture } from "./fixture.ts";
import { closed, connectRaw, getDataFrame, handshake } from "./raw.ts";

let wire: WireFixture;
let backend: Backend;
let good: Session;

beforeAll(async () => {
  wire = await startWire(
    {},
    { maxClientCnxns: 8, connectTimeoutMs: 500, maxBuffer: 64 * 1024, maxOutputBytes: 256 * 1024 },
  );
  backend = createZooKeeperBackend({ connectString: wire.connectString, sessionTimeoutMs: 10_000 });
  good = await backend.connect();
  await good.create("/big", Buffer.alloc(60 * 1024, 1));
});

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await backend?.close();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await wire?.stop();
});

async function stillServes(): Promise<void> {
  const { data } = await good.getData("/big");
  expect(data.length).toBe(60 * 1024);
}

describe("hostile clients", () => {
  it("closes a connection that sends no ConnectRequest in time", async () => {
    const s = await connectRaw(wire.server.port);
    await closed(s);
    await stillServes();
  });

  it("refuses connections past maxClientCnxns from one address", async () => {
    // the good session holds one of the 8
    const held = await Promise.all(Array.from({ length: 7 }, () => connectRaw(wire.server.port)));
    for (const s of held) s.write(handshake());
    const extra = await connectRaw(wire.server.port);
    let got = 0;
    extra.on("data", (d: Buffer) => (got += d.length));
    extra.write(handshake());
    await closed(extra);
    expect(got).toBe(0);
    for (const s of held) s.destroy();
    await Promise.all(held.map(closed));
    await stillServes();
  });

  it("closes the connection that sends a frame over jute.maxbuffer, and only that one", async () => {
    const s = await connectRaw(wire.server.port);
    s.write(handshake());
    const header = Buffer.alloc(4);
    header.writeInt32BE(64 * 1024 + 1);
    s.write(header);
    await closed(s);
    await stillServes();
  });

  it("disconnects a client that stops reading once its output passes the bound", async () => {
    const s = await connectRaw(wire.server.port);
    s.pause(); // never reads again
    s.write(handshake());
    // 400 x 60 KB of replies: far more than the socket buffers and the 256 KB bound
    for (let i = 1; i <= 400; i++) s.write(getDataFrame(i, "/big"));
    // a paused socket does not see its own close: watch the server drop it instead
    await vi.waitFor(
      () => {
        if (wire.server.info().connections.length !== 1) throw new Error("the slow reader is still connected");
      },
      { timeout: 60_000, interval: 25 },
    );
    s.destroy();
    await stillServes();
  });
});
