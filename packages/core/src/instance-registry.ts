/**
 * SDK instances connected to THIS server, each registered as an EPHEMERAL znode
 * /conifer/instances/<instanceId> owned by the server's session: a crashed server's instances
 * vanish with its session, and `list` reads the znodes, so instances connected to other server
 * processes on the same backend show up too. "applied" reports are written debounced and
 * batched: right after a publish every SDK reports within milliseconds, and one multi per batch
 * costs one transaction (one fsync) instead of one per instance.
 */
import { CoordinatorError, isWithin, joinPath, type Op, type Session } from "@conifer/coordinator";
import type { Hello, Labels } from "@conifer/protocol";
import type { BackendLink } from "./backend-link.ts";
import { ConfigError, toConfigError } from "./errors.ts";
import type { Logger } from "./logger.ts";
import { CONIFER_ROOT, INSTANCES_ROOT } from "./paths.ts";

export interface InstanceRecord {
  app: string;
  host: string;
  pid: number;
  connectedAt: number;
  sdkVersion?: string;
  /** as the hello announced them; absent from records written by older servers */
  labels?: Labels;
  serverId: string;
  applied: Record<string, { version: number; mzxid: string }>;
  /** zxid of the newest multi-path change (release) the instance applied completely */
  release?: string;
}

export interface InstanceView {
  instanceId: string;
  app: string;
  host: string;
  pid: number;
  connectedAt: number;
  /** the instance's labels, {} when it announced none */
  labels: Labels;
  applied: { path: string; version: number; mzxid: string; latestVersion: number; behind: number }[];
  /** zxid of the newest release (multi) it applied completely, as the SDK reports it */
  release?: string;
}

interface Local {
  record: InstanceRecord;
  /** sockets of this server speaking for the instance (a reconnect may overlap the old socket) */
  sockets: Set<string>;
  writing: Promise<void>;
}

/** setData ops per multi: ~300-byte records stay far below ZooKeeper's 1 MiB request limit */
const BATCH = 500;

export class InstanceRegistry {
  private readonly local = new Map<string, Local>();
  /** instances whose applied report waits for the next batched write */
  private readonly dirty = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly link: BackendLink,
    private readonly serverId: string,
    private readonly log: Logger,
    private readonly debounceMs = 250,
  ) {}

  /** Creates /conifer and /conifer/instances if missing (system nodes, not versioned). */
  async ensureRoots(session: Session = this.link.session): Promise<void> {
    for (const p of [CONIFER_ROOT, INSTANCES_ROOT]) {
      try {
        await session.create(p, Buffer.alloc(0), { acl: this.link.acl });
      } catch (err) {
        if (!CoordinatorError.is(err, "NODE_EXISTS")) throw err;
      }
    }
  }

  async register(hello: Hello, socketId: string): Promise<void> {
    if (this.stopped) throw new ConfigError("BACKEND_UNAVAILABLE", "The server is shutting down");
    let entry = this.local.get(hello.instanceId);
    if (!entry) {
      entry = {
        record: {
          app: hello.app,
          host: hello.host,
          pid: hello.pid,
          connectedAt: Date.now(),
          serverId: this.serverId,
          applied: {},
          ...(hello.sdkVersion ? { sdkVersion: hello.sdkVersion } : {}),
          ...(hello.labels ? { labels: hello.labels } : {}),
        },
        sockets: new Set(),
        writing: Promise.resolve(),
      };
      this.local.set(hello.instanceId, entry);
    }
    entry.sockets.add(socketId);
    await this.write(hello.instanceId, entry);
  }

  applied(instanceId: string, path: string, version: number, mzxid: string, release?: string): void {
    const entry = this.local.get(instanceId);
    if (!entry) return;
    entry.record.applied[path] = { version, mzxid };
    const held = entry.record.release;
    if (release !== undefined && (held === undefined || BigInt(release) > BigInt(held))) entry.record.release = release;
    this.dirty.add(instanceId);
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      const ids = [...this.dirty];
      this.dirty.clear();
      for (let i = 0; i < ids.length; i += BATCH) this.writeBatch(ids.slice(i, i + BATCH));
    }, this.debounceMs);
    this.flushTimer.unref();
  }

  /**
   * One multi of setData for these instances, after each one's previous write (so every znode
   * still ends with its latest record). If the multi fails (say one znode is gone), each record is
   * written on its own, which recreates what is missing.
   */
  private writeBatch(ids: string[]): void {
    const entries = ids.flatMap((id) => {
      const e = this.local.get(id);
      return e ? [[id, e] as const] : [];
    });
    const batch = Promise.all(entries.map(([, e]) => e.writing)).then(async () => {
      const live = entries.filter(([id, e]) => !this.stopped && this.local.get(id) === e);
      if (live.length === 0) return;
      const ops: Op[] = live.map(([id, e]) => ({
        type: "setData",
        path: joinPath(INSTANCES_ROOT, id),
        data: Buffer.from(JSON.stringify(e.record)),
      }));
      try {
        await this.link.session.multi(ops);
      } catch {
        await Promise.all(
          live.map(([id, e]) =>
            this.upsert(id, e.record).catch((err: unknown) =>
              this.log.warn(`could not register instance ${id}: ${(err as Error).message}`),
            ),
          ),
        );
      }
    });
    for (const [, e] of entries)
      e.writing = batch.catch((err: unknown) =>
        this.log.warn(`could not write instance reports: ${(err as Error).message}`),
      );
  }

  async unregister(instanceId: string, socketId: string): Promise<void> {
    const entry = this.local.get(instanceId);
    if (!entry || this.stopped) return;
    entry.sockets.delete(socketId);
    if (entry.sockets.size > 0) return;
    this.local.delete(instanceId);
    this.dirty.delete(instanceId);
    await entry.writing;
    if (this.local.has(instanceId) || this.isStopped()) return; // the instance reconnected meanwhile
    try {
      await this.link.session.delete(joinPath(INSTANCES_ROOT, instanceId));
    } catch (err) {
      if (!CoordinatorError.is(err, "NO_NODE"))
        this.log.warn(`could not remove instance ${instanceId}: ${(err as Error).message}`);
    }
    // reconnected while the delete was in flight: put its record back
    const again = this.local.get(instanceId);
    if (again && !this.isStopped()) await this.write(instanceId, again);
  }

  // read through a call: stop() flips the flag during an await, which narrowing cannot see
  private isStopped(): boolean {
    return this.stopped;
  }

  /** Writes are serialised per instance so the znode always ends with the latest record. */
  private write(instanceId: string, entry: Local): Promise<void> {
    entry.writing = entry.writing
      .then(() => this.upsert(instanceId, entry.record))
      .catch((err: unknown) => {
        this.log.warn(`could not register instance ${instanceId}: ${(err as Error).message}`);
      });
    return entry.writing;
  }

  private async upsert(instanceId: string, record: InstanceRecord): Promise<void> {
    if (!this.local.has(instanceId)) return;
    const session = this.link.session;
    const path = joinPath(INSTANCES_ROOT, instanceId);
    const data = Buffer.from(JSON.stringify(record));
    try {
      await session.setData(path, data);
    } catch (err) {
      if (!CoordinatorError.is(err, "NO_NODE")) throw err;
      try {
        await session.create(path, data, { mode: "EPHEMERAL", acl: this.link.acl });
      } catch (e) {
        if (CoordinatorError.is(e, "NO_NODE")) {
          await this.ensureRoots(session);
          await session.create(path, data, { mode: "EPHEMERAL", acl: this.link.acl });
        } else if (CoordinatorError.is(e, "NODE_EXISTS")) await session.setData(path, data);
        else throw e;
      }
    }
  }

  /** After a session renewal the ephemerals are gone: write them all again. */
  async recreateAll(): Promise<void> {
    await this.ensureRoots();
    await Promise.all([...this.local.entries()].map(([id, e]) => this.write(id, e)));
  }

  /** Every registered instance on the backend (all servers), with how far behind each is. */
  async list(filterPath?: string): Promise<InstanceView[]> {
    const session = this.link.session;
    let names: string[];
    try {
      names = (await session.getChildren(INSTANCES_ROOT)).children.sort();
    } catch (err) {
      if (CoordinatorError.is(err, "NO_NODE")) return [];
      throw toConfigError(err, INSTANCES_ROOT);
    }
    const records = await Promise.all(names.map((n) => session.getData(joinPath(INSTANCES_ROOT, n)).catch(() => null)));
    const latest = new Map<string, number>();
    const views: InstanceView[] = [];
    for (const [i, name] of names.entries()) {
      const raw = records[i];
      if (!raw) continue;
      // written by any server sharing the backend, older ones included: `applied` may be missing
      let rec: Omit<InstanceRecord, "applied"> & Partial<Pick<InstanceRecord, "applied">>;
      try {
        rec = JSON.parse(raw.data.toString("utf8")) as typeof rec;
      } catch {
        continue;
      }
      const applied = Object.entries(rec.applied ?? {});
      // a path filter names a prefix: instances that applied a config at or under it
      if (filterPath && !applied.some(([p]) => isWithin(p, filterPath))) continue;
      for (const [p] of applied) if (!latest.has(p)) latest.set(p, -1);
      views.push({
        instanceId: name,
        app: rec.app,
        host: rec.host,
        pid: rec.pid,
        connectedAt: rec.connectedAt,
        labels: isLabels(rec.labels) ? rec.labels : {},
        ...(typeof rec.release === "string" ? { release: rec.release } : {}),
        applied: applied.map(([path, a]) => ({
          path,
          version: a.version,
          mzxid: a.mzxid,
          latestVersion: 0,
          behind: 0,
        })),
      });
    }
    const paths = [...latest.keys()];
    const stats = await Promise.all(paths.map((p) => session.exists(p).catch(() => null)));
    paths.forEach((p, i) => latest.set(p, stats[i]?.version ?? -1));
    for (const v of views) {
      for (const a of v.applied) {
        a.latestVersion = latest.get(a.path) ?? -1;
        a.behind = a.latestVersion < 0 ? 0 : Math.max(0, a.latestVersion - a.version);
      }
    }
    return views;
  }

  /** Stops pending writes; the znodes go with the session when the server closes it. */
  stop(): void {
    this.stopped = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.dirty.clear();
    this.local.clear();
  }
}

/** A record's labels, checked loosely: it was written by some server sharing the backend, maybe an old one. */
function isLabels(v: unknown): v is Labels {
  return (
    typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string")
  );
}
