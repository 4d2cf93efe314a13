/** Output: a lone frame is written at once; more frames in the same turn leave in one corked write. */
import { describe, expect, it, vi } from "vitest";
import type net from "node:net";
import { newConnectionInfo } from "./connection-info.ts";
import { Output } from "./output.ts";
import type { ServerCounters } from "./stats.ts";

function fakeSocket() {
  const calls: string[] = [];
  let corked = 0;
  const socket = {
    writableLength: 0,
    cork: () => {
      corked++;
      calls.push("cork");
    },
    uncork: () => {
      corked--;
      calls.push("uncork");
    },
    write: (b: Buffer) => {
      calls.push(corked > 0 ? `buffered ${b.toString()}` : `sent ${b.toString()}`);
      return true;
    },
  };
  return { socket: socket as unknown as net.Socket, calls };
}

const counters = { sent: 0 } as unknown as ServerCounters;

describe("Output", () => {
  it("writes a lone frame at once, without corking", async () => {
    const { socket, calls } = fakeSocket();
    const out = new Output(socket, 1 << 20, newConnectionInfo("x:1", 0), counters, vi.fn());
    out.write(Buffer.from("a"));
    await new Promise<void>((r) => process.nextTick(r));
    expect(calls).toEqual(["sent a"]);
  });

  it("corks from the second frame of a turn and uncorks once at its end", async () => {
    const { socket, calls } = fakeSocket();
    const info = newConnectionInfo("x:1", 0);
    const out = new Output(socket, 1 << 20, info, counters, vi.fn());
    out.write(Buffer.from("a"));
    out.write(Buffer.from("b"));
    out.write(Buffer.from("c"));
    await new Promise<void>((r) => process.nextTick(r));
    out.write(Buffer.from("d"));
    expect(calls).toEqual(["sent a", "cork", "buffered b", "buffered c", "uncork", "sent d"]);
    expect(info.sent).toBe(4);
  });

  it("gives up on a client whose unread output passes the bound", () => {
    const { socket } = fakeSocket();
    const overflow = vi.fn();
    const out = new Output(socket, 10, newConnectionInfo("x:1", 0), counters, overflow);
    (socket as unknown as { writableLength: number }).writableLength = 11;
    out.write(Buffer.from("a"));
    expect(overflow).toHaveBeenCalledOnce();
  });
});
