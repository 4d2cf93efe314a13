/**
 * @conifer/zookeeper/wire: the one jute codec of the repo (framing, records, opcodes), shared
 * by this package's client and by @conifer/zk-server. Hand-picked; the client itself stays
 * internal.
 */
export { FrameSplitter, JuteReader, JuteWriter } from "./jute.ts";
export { OpCode, Xid, readAcl, readStat, readStrings, writeAcl, writeStat } from "./records.ts";
export { decodeConnectResponse, encodeConnectRequest, encodeSetWatches } from "./attach.ts";
export type { ConnectResponse, WatchSnapshot } from "./attach.ts";
export { decodeConnectRequest, encodeConnectResponse, readSetWatches, replyHeader } from "./server-records.ts";
export type { ConnectRequest } from "./server-records.ts";
