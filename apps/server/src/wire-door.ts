/**
 * The ZooKeeper client port of an embedded install (issue 15): any ZooKeeper client (zkCli.sh,
 * Curator, kazoo) talks to the same engine as the console and the SDKs. This file opens it as
 * configured and gives the server a digest identity of its own, so that Conifer's znodes are
 * not writable by an anonymous wire client even when no CONIFER_BACKEND_DIGEST was given.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "@conifer/core";
import type { Engine } from "@conifer/engine";
import { ZkServer, parseWhitelist } from "@conifer/zk-server";

/** the file, in the data dir, that keeps the generated "user:password" across restarts */
export const DIGEST_FILE = "backend-digest";

/** the server's digest credentials: generated at the first start, then read back */
export function serverDigest(dataDir: string): string {
  const file = join(dataDir, DIGEST_FILE);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const digest = `conifer:${randomBytes(24).toString("base64url")}`;
  writeFileSync(file, `${digest}\n`, { mode: 0o600, flag: "wx" });
  return digest;
}

/**
 * Listens on host:port. A taken port is fatal when it was asked for explicitly (the message
 * names CONIFER_ZK_PORT); the default port taken (another ZooKeeper on this machine) only
 * costs the wire door, with one warning line.
 */
export async function openWireDoor(opts: {
  engine: Engine;
  host: string;
  port: number;
  explicit: boolean;
  fourLetterWords: string | undefined;
  log: Logger;
}): Promise<ZkServer | null> {
  try {
    return await ZkServer.start({
      engine: opts.engine,
      host: opts.host,
      port: opts.port,
      fourLetterWords: parseWhitelist(opts.fourLetterWords ?? "srvr"),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EADDRINUSE" && code !== "EACCES") throw err;
    if (opts.explicit)
      throw new Error(`CONIFER_ZK_PORT=${opts.port}: ${opts.host}:${opts.port} is not available (${code})`, {
        cause: err,
      });
    opts.log.warn(
      `ZooKeeper port ${opts.host}:${opts.port} is taken (${code}): starting without the ZooKeeper client port (set CONIFER_ZK_PORT to another port, or 0 to silence this)`,
    );
    return null;
  }
}
