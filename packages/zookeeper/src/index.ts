/** Public API of @conifer/zookeeper: the Coordinator backend for Apache ZooKeeper. The test fixture is exported separately as ./testing. */
export { createZooKeeperBackend } from "./backend.ts";
export type { ZooKeeperBackendOptions } from "./backend.ts";
export { ensureChroot } from "./chroot.ts";
export { parseConnectString } from "./connectString.ts";
export type { ParsedConnectString } from "./connectString.ts";
export { ZooKeeperSession } from "./session.ts";
