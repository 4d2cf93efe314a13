/**
 * ZkServer configuration with Apache ZooKeeper's defaults: maxClientCnxns 60 per address,
 * jute.maxbuffer 1,048,575 bytes, 4lw.commands.whitelist "srvr".
 */
import type { Engine } from "@conifer/engine";

export const FOUR_LETTER_WORDS = ["ruok", "srvr", "stat", "mntr", "cons", "envi", "conf", "wchs", "dump"] as const;
export type FourLetterWord = (typeof FOUR_LETTER_WORDS)[number];

export interface ZkServerOptions {
  engine: Engine;
  /** TCP port; 0 picks a free one (see ZkServer.port) */
  port: number;
  /** default 127.0.0.1 */
  host?: string;
  /** connections per client address (maxClientCnxns); 0 = unlimited; default 60 */
  maxClientCnxns?: number;
  /** a connection that sends no ConnectRequest within this time is closed; default 5000 */
  connectTimeoutMs?: number;
  /** largest frame a client may send (jute.maxbuffer); default 1_048_575 */
  maxBuffer?: number;
  /** a client whose unread output passes this many bytes is disconnected; default 16 MiB */
  maxOutputBytes?: number;
  /** 4lw.commands.whitelist: the commands answered, or "*" for all; default ["srvr"] */
  fourLetterWords?: readonly FourLetterWord[] | "*";
  /** what `conf` and `envi` report; the server's own facts */
  facts?: { dataDir?: string };
}

export interface ResolvedZkOptions {
  engine: Engine;
  port: number;
  host: string;
  maxClientCnxns: number;
  connectTimeoutMs: number;
  maxBuffer: number;
  maxOutputBytes: number;
  fourLetterWords: ReadonlySet<string>;
  dataDir: string;
}

/** parses a 4lw.commands.whitelist value: "*" or a comma-separated list of known commands */
export function parseWhitelist(value: string): readonly FourLetterWord[] | "*" {
  const v = value.trim();
  if (v === "*") return "*";
  const out: FourLetterWord[] = [];
  for (const part of v.split(",")) {
    const w = part.trim();
    if (w === "") continue;
    if (!(FOUR_LETTER_WORDS as readonly string[]).includes(w))
      throw new RangeError(`unknown four-letter word ${JSON.stringify(w)} (known: ${FOUR_LETTER_WORDS.join(", ")})`);
    out.push(w as FourLetterWord);
  }
  return out;
}

export function resolveZkOptions(o: ZkServerOptions): ResolvedZkOptions {
  const words = o.fourLetterWords ?? ["srvr"];
  return {
    engine: o.engine,
    port: o.port,
    host: o.host ?? "127.0.0.1",
    maxClientCnxns: o.maxClientCnxns ?? 60,
    connectTimeoutMs: o.connectTimeoutMs ?? 5000,
    maxBuffer: o.maxBuffer ?? 1_048_575,
    maxOutputBytes: o.maxOutputBytes ?? 16 * 1024 * 1024,
    fourLetterWords: new Set(words === "*" ? FOUR_LETTER_WORDS : words),
    dataDir: o.facts?.dataDir ?? o.engine.opts.dataDir,
  };
}
