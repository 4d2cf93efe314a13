/** A raw TCP ZooKeeper client for the hostile-client suites: handshakes and frames by hand. */
import net from "node:net";
import { JuteWriter, encodeConnectRequest } from "@conifer/zookeeper/wire";

export function connectRaw(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1", () => {
      resolve(s);
    });
    s.on("error", reject);
  });
}

export function closed(s: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    if (s.destroyed) resolve();
    else
      s.once("close", () => {
        resolve();
      });
  });
}

export function handshake(): Buffer {
  return encodeConnectRequest({ lastZxid: 0n, timeoutMs: 10_000, sessionId: 0n, passwd: Buffer.alloc(16) });
}

/** a getData request frame */
export function getDataFrame(xid: number, path: string): Buffer {
  return new JuteWriter().int(xid).int(4).ustring(path).bool(false).frame();
}
