/**
 * A standalone Apache ZooKeeper (Debian's package) for the peer side of the benchmarks: its own
 * config (forceSync on, no connection cap, 1 GiB heap so 10k+ sessions fit), data dir under the
 * system temp dir (the same filesystem as the engine's), killed and removed by stop().
 */
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort, zookeeperClasspath, zookeeperInstalled } from "@conifer/zookeeper/testing";
import { createZooKeeperBackend } from "@conifer/zookeeper";
import { sleep } from "./stats.ts";
import { defined } from "./defined.ts";

export interface StandaloneZk {
  connectString: string;
  dataDir: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startStandaloneZk(): Promise<StandaloneZk> {
  if (!zookeeperInstalled()) throw new Error("ZooKeeper is not installed (npm run bench installs it)");
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "conifer-bench-zk-"));
  const port = await freePort();
  const cfg = [
    "tickTime=2000",
    `dataDir=${root}/data`,
    `clientPort=${port}`,
    "clientPortAddress=127.0.0.1",
    "maxClientCnxns=0",
    "admin.enableServer=false",
    "4lw.commands.whitelist=*",
    "forceSync=yes",
    "globalOutstandingLimit=100000",
  ];
  await fs.mkdir(`${root}/data`);
  await fs.writeFile(`${root}/zoo.cfg`, cfg.join("\n") + "\n");
  const classpath = zookeeperClasspath();
  const log = await fs.open(`${root}/zk.log`, "a");
  const cmd = `ulimit -n $(ulimit -Hn) && exec java -Xmx1g -Xms256m -Dzookeeper.log.dir=${root} -cp ${classpath} org.apache.zookeeper.server.quorum.QuorumPeerMain ${root}/zoo.cfg`;
  const child = spawn("bash", ["-c", cmd], { stdio: ["ignore", log.fd, log.fd] });
  const kill = () => child.kill("SIGKILL");
  process.on("exit", kill);
  const connectString = `127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const s = await createZooKeeperBackend({ connectString, connectDeadlineMs: 2000 }).connect();
      await s.close();
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`ZooKeeper did not start; see ${root}/zk.log`);
      await sleep(300);
    }
  }
  return {
    connectString,
    dataDir: `${root}/data`,
    pid: defined(child.pid, "ZooKeeper child pid"),
    async stop() {
      process.off("exit", kill);
      const exited = new Promise((r) => child.once("exit", r));
      kill();
      await exited;
      await log.close();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}
