/** Test fixtures of @conifer/zookeeper: a disposable real ZooKeeper ensemble on loopback, and its CLI. */
export { freePort, startEnsemble, zookeeperInstalled } from "./ensemble.ts";
export type { Ensemble, EnsembleMember, EnsembleOptions } from "./ensemble.ts";
export { runZkCli, ZKCLI, zkCliInstalled } from "./zkcli.ts";
