/**
 * `createZooKeeperBackend`: the Coordinator Backend for a real Apache ZooKeeper ensemble. Each
 * `connect()` creates a new ZooKeeper session, so after a session expired the server simply
 * connects again. `info()` asks every member for `srvr` to show roles and zxids.
 */
import type { Backend, BackendInfo, BackendMember, Session, SessionOptions } from "@conifer/coordinator";
import { describeConnectString, parseConnectString } from "./connectString.ts";
import { fourLetterWord, parseSrvr } from "./fourLetter.ts";
import { ZooKeeperSession } from "./session.ts";
import { MAX_FRAME_BYTES } from "./wire/messages.ts";

export interface ZooKeeperBackendOptions {
  /** "h1:2181,h2:2181/chroot" or "zookeeper://user:password@h1:2181,h2:2181/chroot" */
  connectString: string;
  /** requested session timeout; the ensemble clamps it to [2, 20] ticks. Default 30000 */
  sessionTimeoutMs?: number;
  /** added to every session before its first request */
  auth?: { scheme: string; auth: string }[];
  /** how long connect() may wait for a member to accept the session. Default max(2 × timeout, 10 s) */
  connectDeadlineMs?: number;
}

/**
 * The data size that fits in a request whatever its path (up to about 1000 bytes of path and
 * ACLs): jute.maxbuffer (1 MiB − 1) minus a margin. The limit the client enforces is the
 * frame's (MAX_FRAME_BYTES): a setData may carry up to 1,048,555 bytes minus its path.
 */
const MAX_DATA_BYTES = MAX_FRAME_BYTES - 1024;

/** the ConnectRequest carries the timeout as a signed 32-bit int */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export function createZooKeeperBackend(options: ZooKeeperBackendOptions): Backend & { readonly chroot: string } {
  const parsed = parseConnectString(options.connectString);
  const sessions = new Set<ZooKeeperSession>();
  const baseAuth = [...parsed.auth, ...(options.auth ?? [])];

  return {
    kind: "zookeeper",
    maxDataBytes: MAX_DATA_BYTES,
    chroot: parsed.chroot,

    async connect(sessionOptions?: SessionOptions): Promise<Session> {
      const timeoutMs = Math.min(sessionOptions?.timeoutMs ?? options.sessionTimeoutMs ?? 30_000, MAX_TIMEOUT_MS);
      const session = new ZooKeeperSession(
        {
          hosts: parsed.hosts,
          timeoutMs,
          connectDeadlineMs: options.connectDeadlineMs ?? Math.max(2 * timeoutMs, 10_000),
        },
        parsed.chroot,
      );
      await session.start([...baseAuth, ...(sessionOptions?.auth ?? [])]);
      sessions.add(session);
      session.onStateChange((s) => {
        if (s === "closed" || s === "expired") sessions.delete(session);
      });
      return session;
    },

    async info(): Promise<BackendInfo> {
      const members = await Promise.all(
        parsed.hosts.map(async ({ host, port }): Promise<BackendMember> => {
          const address = `${host}:${port}`;
          try {
            const s = parseSrvr(await fourLetterWord(host, port, "srvr"));
            const role =
              (["standalone", "leader", "follower", "observer"] as const).find((r) => r === s.mode) ?? "unreachable";
            const member: BackendMember = { address, role };
            if (s.zxid !== undefined) member.zxid = s.zxid;
            if (s.connections !== undefined) member.connections = s.connections;
            if (s.latencyMs) member.latencyMs = s.latencyMs;
            if (s.nodeCount !== undefined) member.nodeCount = s.nodeCount;
            if (role === "unreachable") member.error = "not serving (no quorum?)";
            return member;
          } catch (err) {
            return { address, role: "unreachable", error: (err as Error).message };
          }
        }),
      );
      const writable = members.some((m) => m.role === "leader" || m.role === "standalone");
      const serving = members.filter((m) => m.role !== "unreachable").length;
      // what the console's cluster screen shows: every member serving, some down, or no quorum
      const status = !writable ? "no quorum" : serving < members.length ? "degraded" : "healthy";
      return {
        kind: "zookeeper",
        description: describeConnectString(parsed),
        members,
        details: { status, sessions: sessions.size, members: members.length, serving },
        writable,
      };
    },

    async close(): Promise<void> {
      await Promise.all([...sessions].map((s) => s.close()));
      sessions.clear();
    },
  };
}
