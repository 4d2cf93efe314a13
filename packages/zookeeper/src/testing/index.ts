/**
 * Test fixtures of @conifer/zookeeper: a disposable real ZooKeeper ensemble on loopback, its
 * CLI, and a partition hook on a session.
 */
export { freePort, startEnsemble, zookeeperClasspath, zookeeperInstalled } from "./ensemble.ts";
export type { Ensemble, EnsembleMember, EnsembleOptions } from "./ensemble.ts";
export { partition } from "./partition.ts";
export { runZkCli, ZKCLI, zkCliInstalled } from "./zkcli.ts";
