/** Public API of @conifer/zk-server: the ZooKeeper client-protocol server for the embedded engine. */
export { ZkServer } from "./server.ts";
export type { ZkServerInfo } from "./server.ts";
export type { ConnectionInfo } from "./connection-info.ts";
export { FOUR_LETTER_WORDS, parseWhitelist } from "./options.ts";
export type { FourLetterWord, ZkServerOptions } from "./options.ts";
