/**
 * Four-letter words on the client port (§6): a new connection whose first four bytes spell a
 * command gets a text answer and is closed. Formats follow Apache ZooKeeper 3.8.0's output
 * (compared with `printf srvr | nc` against Debian's package); only whitelisted commands run.
 */
import os from "node:os";
import type { Engine } from "@conifer/engine";
import type { ConnectionInfo } from "./connection-info.ts";
import type { ResolvedZkOptions } from "./options.ts";
import type { ServerCounters } from "./stats.ts";

export const VERSION = "3.8.0-conifer, built on 1970-01-01 00:00 UTC";

/** every command ZooKeeper 3.8 knows: the ones this server does not answer get the whitelist refusal */
const KNOWN = new Set([
  "conf", "cons", "crst", "dump", "envi", "gtmk", "ruok", "stmk", "srst", "srvr", "stat", "wchc", "wchp", "wchs",
  "mntr", "isro", "hash", "dirs",
]); // prettier-ignore

export interface FourLetterContext {
  engine: Engine;
  opts: ResolvedZkOptions;
  counters: ServerCounters;
  connections(): ConnectionInfo[];
  startedAt: number;
}

/** the command spelled by a connection's first four bytes, if it is one ZooKeeper knows */
export function fourLetterCommand(first4: Buffer): string | null {
  const word = first4.toString("latin1");
  return KNOWN.has(word) ? word : null;
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

function latencyLine(c: ServerCounters): string {
  return `Latency min/avg/max: ${c.minLatency}/${c.avgLatency.toFixed(4).replace(/0+$/, "").replace(/\.$/, ".0")}/${c.maxLatency}\n`;
}

function summary(ctx: FourLetterContext): string {
  const s = ctx.engine.stats();
  return (
    latencyLine(ctx.counters) +
    `Received: ${ctx.counters.received}\n` +
    `Sent: ${ctx.counters.sent}\n` +
    `Connections: ${ctx.connections().length}\n` +
    `Outstanding: ${s.pendingRequests}\n` +
    `Zxid: ${hex(s.lastZxid)}\n` +
    `Mode: standalone\n` +
    `Node count: ${s.nodeCount}\n`
  );
}

/** one `cons` line, as ZooKeeper prints a connection */
export function consLine(c: ConnectionInfo): string {
  const base = ` /${c.remote}[${c.sessionId === null ? 0 : 1}](queued=${c.queued},recved=${c.recved},sent=${c.sent}`;
  if (c.sessionId === null) return `${base})\n`;
  return (
    `${base},sid=${hex(c.sessionId)},lop=${c.lastOp},est=${c.established},to=${c.timeoutMs},` +
    `lcxid=0x${c.lastCxid.toString(16)},lzxid=${hex(c.lastZxid)},lresp=${c.lastResponse},llat=${c.lastLatency},` +
    `minlat=${c.minLatency},avglat=${Math.round(c.avgLatency)},maxlat=${c.maxLatency})\n`
  );
}

/** the `mntr` figures, in ZooKeeper's key names (the subset this server has) */
export function mntr(ctx: FourLetterContext): [string, string | number][] {
  const s = ctx.engine.stats();
  const c = ctx.counters;
  return [
    ["zk_version", VERSION],
    ["zk_server_state", "standalone"],
    ["zk_ephemerals_count", s.ephemerals],
    ["zk_num_alive_connections", ctx.connections().length],
    ["zk_avg_latency", Number(c.avgLatency.toFixed(4))],
    ["zk_outstanding_requests", s.pendingRequests],
    ["zk_znode_count", s.nodeCount],
    ["zk_global_sessions", s.sessions],
    ["zk_packets_sent", c.sent],
    ["zk_packets_received", c.received],
    ["zk_watch_count", s.watches],
    ["zk_min_latency", c.minLatency],
    ["zk_max_latency", c.maxLatency],
    ["zk_uptime", Date.now() - ctx.startedAt],
    ["zk_max_file_descriptor_count", -1],
  ];
}

export function answerFourLetter(ctx: FourLetterContext, cmd: string): string {
  if (!ctx.opts.fourLetterWords.has(cmd)) return `${cmd} is not executed because it is not in the whitelist.\n`;
  switch (cmd) {
    case "ruok":
      return "imok";
    case "srvr":
      return `Zookeeper version: ${VERSION}\n${summary(ctx)}`;
    case "stat": {
      const clients = ctx
        .connections()
        .map(
          (c) =>
            ` /${c.remote}[${c.sessionId === null ? 0 : 1}](queued=${c.queued},recved=${c.recved},sent=${c.sent})\n`,
        )
        .join("");
      return `Zookeeper version: ${VERSION}\nClients:\n${clients}\n${summary(ctx)}`;
    }
    case "cons":
      return `${ctx.connections().map(consLine).join("")}\n`;
    case "mntr":
      return mntr(ctx)
        .map(([k, v]) => `${k}\t${v}\n`)
        .join("");
    case "conf": {
      const o = ctx.engine.opts;
      return (
        `clientPort=${ctx.opts.port}\nsecureClientPort=-1\ndataDir=${ctx.opts.dataDir}\n` +
        `tickTime=${o.tickMs}\nmaxClientCnxns=${ctx.opts.maxClientCnxns}\nminSessionTimeout=${o.minSessionTimeoutMs}\n` +
        `maxSessionTimeout=${o.maxSessionTimeoutMs}\nclientPortListenBacklog=-1\nserverId=0\n`
      );
    }
    case "envi":
      return (
        `Environment:\nzookeeper.version=${VERSION}\nhost.name=${os.hostname()}\nnode.version=${process.version}\n` +
        `os.name=${os.type()}\nos.arch=${os.arch()}\nos.version=${os.release()}\nuser.dir=${process.cwd()}\n` +
        `os.memory.free=${Math.round(os.freemem() / 1048576)}MB\n`
      );
    case "wchs": {
      const s = ctx.engine.stats();
      const watching = ctx.connections().filter((c) => c.sessionId !== null).length;
      return `${watching} connections watching ${s.watches} paths\nTotal watches:${s.watches}\n`;
    }
    case "dump": {
      const s = ctx.engine.stats();
      return (
        `SessionTracker dump:\nSession Sets (${s.sessions})/(${s.sessions}):\n` +
        `ephemeral nodes dump:\nSessions with Ephemerals (${s.ephemerals > 0 ? "some" : 0}):\n` +
        `Connections dump:\n${ctx
          .connections()
          .map((c) => `\tip: /${c.remote} sessionId: ${c.sessionId === null ? "0x0" : hex(c.sessionId)}\n`)
          .join("")}`
      );
    }
    default:
      return `${cmd} is not executed because it is not in the whitelist.\n`;
  }
}
