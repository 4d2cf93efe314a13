/**
 * ZooKeeper four-letter-word commands (§6 of the protocol reference): `srvr` tells a member's
 * role, zxid, connection count and latencies. Used by Backend.info() and the ensemble fixture.
 */
import net from "node:net";

/** sends `cmd` to host:port and returns the text reply; rejects on connection errors or timeout */
export function fourLetterWord(host: string, port: number, cmd: string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`${cmd} to ${host}:${port} timed out`)), timeoutMs);
    socket.on("connect", () => socket.write(cmd));
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on("close", (hadError) => {
      clearTimeout(timer);
      if (!hadError) resolve(Buffer.concat(chunks).toString("utf8"));
    });
  });
}

export interface SrvrInfo {
  mode: string;
  zxid: bigint | undefined;
  connections: number | undefined;
  nodeCount: number | undefined;
  latencyMs: { min: number; avg: number; max: number } | undefined;
}

/** parses a `srvr` reply; mode is "" when the member is up but not serving (no quorum) */
export function parseSrvr(text: string): SrvrInfo {
  const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "m").exec(text)?.[1]?.trim();
  const lat = field("Latency min/avg/max")?.split("/").map(Number);
  const zxid = field("Zxid");
  const num = (v: string | undefined) => (v === undefined || Number.isNaN(Number(v)) ? undefined : Number(v));
  return {
    mode: field("Mode") ?? "",
    zxid: zxid ? BigInt(zxid) : undefined,
    connections: num(field("Connections")),
    nodeCount: num(field("Node count")),
    latencyMs: latency(lat),
  };
}

/** "min/avg/max" as srvr prints it; anything else is no figure at all */
function latency(lat: number[] | undefined): { min: number; avg: number; max: number } | undefined {
  if (!lat) return undefined;
  const [min, avg, max, ...rest] = lat;
  if (min === undefined || avg === undefined || max === undefined || rest.length > 0) return undefined;
  return { min, avg, max };
}
