/**
 * Client behaviour the contract suite cannot express, judged by a real (standalone) Apache
 * ZooKeeper: the request frame limit (jute.maxbuffer) counted on the server path, chroot
 * included, and an auth the server refuses, at connect or on a reconnect, ending the session
 * with AUTH_FAILED instead of a reconnect loop that sends the same auth again.
 */
import { CoordinatorError, type Backend, type Session, type SessionState } from "@conifer/coordinator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createZooKeeperBackend, parseConnectString, ZooKeeperSession } from "../src/index.ts";
import { partition, startEnsemble, type Ensemble } from "../src/testing/index.ts";

let started: { ensemble: Ensemble; root: Backend; rootSession: Session } | undefined;

beforeAll(async () => {
  const ensemble = await startEnsemble({ size: 1, tickTimeMs: 500 });
  const root = createZooKeeperBackend({ connectString: ensemble.connectString, sessionTimeoutMs: 10_000 });
  started = { ensemble, root, rootSession: await root.connect() };
}, 300_000);

afterAll(async () => {
  await started?.root.close();
  await started?.ensemble.stop();
});

function zk(): { ensemble: Ensemble; root: Backend; rootSession: Session } {
  if (!started) throw new Error("the ensemble did not start");
  return started;
}

function asZooKeeper(s: Session): ZooKeeperSession {
  if (!(s instanceof ZooKeeperSession)) throw new Error("not a ZooKeeper session");
  return s;
}

/** ZooKeeper's default jute.maxbuffer: the longest request frame a member reads */
const JUTE_MAXBUFFER = 1_048_575;

const unique = (prefix: string) => `/${prefix}-${Math.random().toString(36).slice(2, 8)}`;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof CoordinatorError) return err.code;
    throw err;
  }
}

describe("request frame limit (jute.maxbuffer)", () => {
  it("the largest setData ZooKeeper takes is 1,048,555 bytes minus the server path; one more is BAD_ARGUMENTS and the connection stays", async () => {
    const { ensemble, rootSession } = zk();
    const chroot = unique("frame");
    await rootSession.create(chroot);
    const b = createZooKeeperBackend({ connectString: `${ensemble.connectString}${chroot}`, sessionTimeoutMs: 10_000 });
    try {
      const s = asZooKeeper(await b.connect());
      const path = "/données"; // the limit counts UTF-8 bytes of the path the server sees
      await s.create(path);
      const serverPathBytes = Buffer.byteLength(chroot + path);
      // frame = xid + opcode + path (length-prefixed) + data (length-prefixed) + version
      const largest = JUTE_MAXBUFFER - 20 - serverPathBytes;
      expect(largest).toBe(1_048_555 - serverPathBytes);

      expect((await s.setData(path, Buffer.alloc(largest, 0x61))).stat.dataLength).toBe(largest);

      const member = s.connectedTo;
      const inFlight = s.getData(path);
      const tooBig = s.setData(path, Buffer.alloc(largest + 1, 0x62));
      const multi = s.multi([{ type: "setData", path, data: Buffer.alloc(largest, 0x63) }]);
      const err = await tooBig.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CoordinatorError);
      expect((err as CoordinatorError).code).toBe("BAD_ARGUMENTS");
      expect((err as CoordinatorError).message).toContain("jute.maxbuffer");
      expect(await codeOf(multi)).toBe("BAD_ARGUMENTS");
      // nothing was sent: the request in flight beside it is answered on the same connection
      expect((await inFlight).data.length).toBe(largest);
      expect(s.state).toBe("connected");
      expect(s.connectedTo).toBe(member);
      expect((await s.getData(path)).data.equals(Buffer.alloc(largest, 0x61))).toBe(true);
    } finally {
      await b.close();
    }
  });
});

describe("an auth the server refuses", () => {
  it("at connect: connect() fails with AUTH_FAILED and the session stops (no reconnect loop)", async () => {
    const { hosts } = parseConnectString(zk().ensemble.connectString);
    const session = new ZooKeeperSession({ hosts, timeoutMs: 10_000, connectDeadlineMs: 60_000 }, "");
    const err = await session.start([{ scheme: "nosuchscheme", auth: "x" }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CoordinatorError);
    expect((err as CoordinatorError).code).toBe("AUTH_FAILED");
    // terminal: the reconnect loop has ended and nothing is retried
    expect(session.state).toBe("closed");
    expect(session.connectedTo).toBeNull();
    expect(await codeOf(session.getData("/"))).toBe("AUTH_FAILED");
  });

  it("remembered while disconnected and refused on the reconnect: the session reports closed, requests fail with AUTH_FAILED", async () => {
    const s = asZooKeeper(await zk().root.connect());
    const states: SessionState[] = [];
    s.onStateChange((st) => {
      states.push(st);
    });
    partition(s, true);
    expect(s.state).toBe("disconnected");
    await s.addAuth("nosuchscheme", "x"); // remembered, sent on the reconnect (Java client order)
    const queued = s.exists("/");
    partition(s, false);
    expect(await codeOf(queued)).toBe("AUTH_FAILED");
    // the session ended as the refusal was read, before the queued request was failed
    expect(states).toEqual(["disconnected", "closed"]);
    expect(s.state).toBe("closed");
    expect(await codeOf(s.exists("/"))).toBe("AUTH_FAILED");
  });
});
