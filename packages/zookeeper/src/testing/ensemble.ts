/**
 * A disposable Apache ZooKeeper ensemble for tests: N real QuorumPeerMain JVMs from Debian's
 * `zookeeper` package on free loopback ports, each with its own config and data dir in a temp
 * folder. Members can be killed and restarted to exercise failover; `stop()` (and process exit)
 * kills every JVM and removes the folder.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readdirSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fourLetterWord, parseSrvr } from "../fourLetter.ts";

export interface EnsembleMember {
  id: number;
  clientPort: number;
  peerPort: number;
  electionPort: number;
  dataDir: string;
  /** "host:port" for this member alone */
  address: string;
  running: boolean;
}

export interface Ensemble {
  /** all members, "127.0.0.1:p1,127.0.0.1:p2,..." */
  connectString: string;
  members: EnsembleMember[];
  tickTimeMs: number;
  /** SIGKILLs one member's JVM */
  kill(id: number): Promise<void>;
  /** starts a killed member again (same data dir) and waits until it serves */
  start(id: number): Promise<void>;
  /** the member currently reporting Mode: leader (polls until one does) */
  leader(): Promise<EnsembleMember>;
  /** `srvr` mode per running member ("" when not serving) */
  modes(): Promise<Map<number, string>>;
  /** kills every JVM and removes the temp dir */
  stop(): Promise<void>;
}

export interface EnsembleOptions {
  size?: number;
  /** parent folder for the ensemble's temp dir (default os.tmpdir()) */
  dir?: string;
  /** default 500 ms: sessions expire quickly (min session timeout = 2 ticks) */
  tickTimeMs?: number;
  /** ceiling for the ensemble to elect a leader and serve; default 240 s (a loaded machine is slow to start JVMs) */
  readyTimeoutMs?: number;
}

const JAVA_DIR = "/usr/share/java";
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const p of live) p.kill("SIGKILL");
  };
  process.on("exit", killAll);
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      killAll();
      process.kill(process.pid, sig);
    });
  }
}

/** true when Debian's zookeeper package is installed */
/** The JVM classpath of Debian's zookeeper package: its configuration dir and every jar beside zookeeper.jar. */
export function zookeeperClasspath(): string {
  return [
    "/etc/zookeeper/conf",
    ...readdirSync(JAVA_DIR)
      .filter((f) => f.endsWith(".jar"))
      .map((f) => path.join(JAVA_DIR, f)),
  ].join(":");
}

export function zookeeperInstalled(): boolean {
  return existsSync(path.join(JAVA_DIR, "zookeeper.jar"));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Ports handed to any ensemble of this process. A port probed free can still be taken by the time
 * the JVM binds it (another ensemble started concurrently, another test process), so every start
 * also checks that each port answers as its own member (see `ownedBy`) and retries on new ports.
 */
const reserved = new Set<number>();
const START_ATTEMPTS = 3;

export async function startEnsemble(options: EnsembleOptions = {}): Promise<Ensemble> {
  if (!zookeeperInstalled())
    throw new Error("Debian package `zookeeper` is not installed (apt-get install -y zookeeper)");
  installExitHook();
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      if (!(err instanceof PortTakenError) || attempt >= START_ATTEMPTS) throw err;
    }
  }
}

/** a member's port was bound by someone else: the start is retried on fresh ports */
class PortTakenError extends Error {}

async function startOnce(options: EnsembleOptions): Promise<Ensemble> {
  const size = options.size ?? 3;
  const tickTimeMs = options.tickTimeMs ?? 500;
  const readyTimeoutMs = options.readyTimeoutMs ?? 240_000;
  const root = await fs.mkdtemp(path.join(options.dir ?? os.tmpdir(), "conifer-zk-"));
  const classpath = zookeeperClasspath();

  const port = async () => {
    for (;;) {
      const p = await freePort();
      if (!reserved.has(p)) {
        reserved.add(p);
        return p;
      }
    }
  };
  const members: EnsembleMember[] = [];
  for (let id = 1; id <= size; id++) {
    const clientPort = await port();
    members.push({
      id,
      clientPort,
      peerPort: await port(),
      electionPort: await port(),
      dataDir: path.join(root, `zoo${id}`),
      address: `127.0.0.1:${clientPort}`,
      running: false,
    });
  }
  const servers = size > 1 ? members.map((m) => `server.${m.id}=127.0.0.1:${m.peerPort}:${m.electionPort}`) : [];
  for (const m of members) {
    await fs.mkdir(m.dataDir, { recursive: true });
    await fs.writeFile(path.join(m.dataDir, "myid"), `${m.id}\n`);
    const cfg = [
      `tickTime=${tickTimeMs}`,
      "initLimit=20",
      "syncLimit=10",
      `dataDir=${m.dataDir}`,
      `clientPort=${m.clientPort}`,
      "clientPortAddress=127.0.0.1",
      "admin.enableServer=false",
      "4lw.commands.whitelist=*",
      "maxClientCnxns=0",
      ...servers,
    ];
    await fs.writeFile(path.join(root, `zoo${m.id}.cfg`), cfg.join("\n") + "\n");
  }

  const procs = new Map<number, ChildProcess>();
  const launch = (m: EnsembleMember) => {
    const log = createWriteStream(path.join(root, `zoo${m.id}.log`), { flags: "a" });
    const child = spawn(
      "java",
      [
        "-Xmx192m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Dzookeeper.extendedTypesEnabled=true",
        // reap containers and expired TTL nodes within a second instead of a minute
        "-Dznode.container.checkIntervalMs=1000",
        `-Dzookeeper.log.dir=${root}`,
        "-cp",
        classpath,
        "org.apache.zookeeper.server.quorum.QuorumPeerMain",
        path.join(root, `zoo${m.id}.cfg`),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    // a watchdog kills the JVM if this process dies without running its exit hooks (SIGKILL)
    spawn(
      "sh",
      [
        "-c",
        `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 2; done; kill -9 ${child.pid} 2>/dev/null`,
      ],
      {
        stdio: "ignore",
      },
    ).unref();
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    live.add(child);
    child.on("exit", () => {
      live.delete(child);
      if (procs.get(m.id) === child) {
        procs.delete(m.id);
        m.running = false;
      }
    });
    procs.set(m.id, child);
    m.running = true;
  };

  const modeOf = async (m: EnsembleMember): Promise<string> => {
    try {
      return parseSrvr(await fourLetterWord("127.0.0.1", m.clientPort, "srvr", 2000)).mode;
    } catch {
      return "";
    }
  };
  /** true when the JVM answering on m's client port is m's own (its `conf` names m's data dir) */
  const ownedBy = async (m: EnsembleMember): Promise<boolean> => {
    try {
      const conf = await fourLetterWord("127.0.0.1", m.clientPort, "conf", 2000);
      return conf.split("\n").some((line) => line.startsWith("dataDir=") && line.includes(m.dataDir));
    } catch {
      return false;
    }
  };
  const waitServing = async (subset: EnsembleMember[]) => {
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      const modes = await Promise.all(subset.map(modeOf));
      if (modes.every((md) => md !== "")) {
        const owned = await Promise.all(subset.map(ownedBy));
        const stranger = subset.find((_, i) => !owned[i]);
        if (stranger) {
          throw new PortTakenError(
            `port ${stranger.clientPort} of ZooKeeper member ${stranger.id} is served by another process; logs in ${root}`,
          );
        }
        return;
      }
      // a JVM that exited while starting most likely lost one of its ports (BindException in its log)
      const exited = subset.find((m) => !m.running);
      if (exited) {
        throw new PortTakenError(`ZooKeeper member ${exited.id} exited while starting; logs in ${root}`);
      }
      if (Date.now() > deadline) {
        throw new Error(
          `ZooKeeper ensemble not serving after ${readyTimeoutMs} ms (modes: ${modes.join(",")}); logs in ${root}`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  const ensemble: Ensemble = {
    connectString: members.map((m) => m.address).join(","),
    members,
    tickTimeMs,
    async kill(id) {
      const child = procs.get(id);
      if (!child) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
    async start(id) {
      const m = members.find((x) => x.id === id);
      if (!m) throw new Error(`no member ${id}`);
      if (!procs.has(id)) launch(m);
      await waitServing([m]);
    },
    async leader() {
      const deadline = Date.now() + readyTimeoutMs;
      for (;;) {
        for (const m of members.filter((x) => x.running)) {
          const md = await modeOf(m);
          if (md === "leader" || md === "standalone") return m;
        }
        if (Date.now() > deadline) throw new Error("no ZooKeeper leader");
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async modes() {
      const out = new Map<number, string>();
      for (const m of members.filter((x) => x.running)) out.set(m.id, await modeOf(m));
      return out;
    },
    async stop() {
      await Promise.all([...procs.keys()].map((id) => ensemble.kill(id)));
      await fs.rm(root, { recursive: true, force: true });
      for (const m of members) for (const p of [m.clientPort, m.peerPort, m.electionPort]) reserved.delete(p);
    },
  };

  try {
    for (const m of members) launch(m);
    await waitServing(members);
  } catch (err) {
    await ensemble.stop().catch(() => {});
    throw err;
  }
  return ensemble;
}
