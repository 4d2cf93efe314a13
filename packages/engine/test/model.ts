/**
 * A deliberately simple reference model of the znode tree for the property test: a Map of
 * path -> {data, version, child counter, zxids}, implementing create / delete / setData /
 * check / multi with ZooKeeper's error order and zxid accounting, and nothing else.
 */
import { parentOf } from "@conifer/coordinator";
import type { ErrorCodeName } from "@conifer/coordinator";

export interface MNode {
  data: string;
  version: number;
  /** child-creation counter C */
  c: number;
  children: Set<string>;
  czxid: bigint;
  mzxid: bigint;
  pzxid: bigint;
  ephemeral: boolean;
}

export type MOp =
  | { type: "create"; path: string; data: string; mode: "PERSISTENT" | "PERSISTENT_SEQUENTIAL" | "EPHEMERAL" }
  | { type: "delete"; path: string; version: number }
  | { type: "setData"; path: string; data: string; version: number }
  | { type: "check"; path: string; version: number };

export class ModelError extends Error {
  constructor(readonly code: ErrorCodeName) {
    super(code);
  }
}

const name = (p: string) => p.slice(p.lastIndexOf("/") + 1);
const pkey = (p: string) => (parentOf(p) === "" ? "/" : parentOf(p));

export class Model {
  nodes = new Map<string, MNode>();
  zxid = 0n;

  constructor() {
    const mk = (kids: string[]): MNode => ({
      data: "",
      version: 0,
      c: 0,
      children: new Set(kids),
      czxid: 0n,
      mzxid: 0n,
      pzxid: 0n,
      ephemeral: false,
    });
    this.nodes.set("/", mk(["zookeeper"]));
    this.nodes.set("/zookeeper", mk(["quota", "config"]));
    this.nodes.set("/zookeeper/quota", mk([]));
    this.nodes.set("/zookeeper/config", mk([]));
  }

  clone(): Model {
    const m = new Model();
    m.zxid = this.zxid;
    m.nodes = new Map([...this.nodes].map(([k, v]) => [k, { ...v, children: new Set(v.children) }]));
    return m;
  }

  /** applies one op at `zxid`; returns the created path for creates */
  apply(op: MOp, zxid: bigint): string | undefined {
    const node = this.nodes.get(op.path);
    switch (op.type) {
      case "create": {
        const parent = this.nodes.get(pkey(op.path));
        if (!parent) throw new ModelError("NO_NODE");
        const path = op.mode === "PERSISTENT_SEQUENTIAL" ? op.path + String(parent.c).padStart(10, "0") : op.path;
        if (this.nodes.has(path)) throw new ModelError("NODE_EXISTS");
        if (parent.ephemeral) throw new ModelError("NO_CHILDREN_FOR_EPHEMERALS");
        parent.c++;
        parent.children.add(name(path));
        parent.pzxid = zxid;
        this.nodes.set(path, {
          data: op.data,
          version: 0,
          c: 0,
          children: new Set(),
          czxid: zxid,
          mzxid: zxid,
          pzxid: zxid,
          ephemeral: op.mode === "EPHEMERAL",
        });
        return path;
      }
      case "delete": {
        if (!this.nodes.get(pkey(op.path))) throw new ModelError("NO_NODE");
        if (!node) throw new ModelError("NO_NODE");
        if (op.version !== -1 && op.version !== node.version) throw new ModelError("BAD_VERSION");
        if (node.children.size > 0) throw new ModelError("NOT_EMPTY");
        this.remove(op.path, zxid);
        return undefined;
      }
      case "setData":
        if (!node) throw new ModelError("NO_NODE");
        if (op.version !== -1 && op.version !== node.version) throw new ModelError("BAD_VERSION");
        node.data = op.data;
        node.version++;
        node.mzxid = zxid;
        return undefined;
      case "check":
        if (!node) throw new ModelError("NO_NODE");
        if (op.version !== -1 && op.version !== node.version) throw new ModelError("BAD_VERSION");
        return undefined;
    }
  }

  remove(path: string, zxid: bigint): void {
    const parent = this.nodes.get(pkey(path)) as MNode;
    parent.children.delete(name(path));
    parent.pzxid = zxid;
    this.nodes.delete(path);
  }

  /** one write: consumes a zxid whether it fails or not */
  write(op: MOp): { ok: true; path?: string } | { ok: false; code: ErrorCodeName } {
    const zxid = ++this.zxid;
    try {
      return { ok: true, path: this.apply(op, zxid) };
    } catch (e) {
      return { ok: false, code: (e as ModelError).code };
    }
  }

  multi(ops: MOp[]): { ok: true; paths: (string | undefined)[] } | { ok: false; codes: ErrorCodeName[] } {
    const zxid = ++this.zxid;
    const trial = this.clone();
    const paths: (string | undefined)[] = [];
    for (let i = 0; i < ops.length; i++) {
      try {
        paths.push(trial.apply(ops[i] as MOp, zxid));
      } catch (e) {
        const code = (e as ModelError).code;
        return { ok: false, codes: ops.map((_, j) => (j < i ? "OK" : j === i ? code : "RUNTIME_INCONSISTENCY")) };
      }
    }
    this.nodes = trial.nodes;
    return { ok: true, paths };
  }

  /** closeSession: one zxid, every ephemeral removed */
  closeSession(): void {
    const zxid = ++this.zxid;
    for (const [p, n] of [...this.nodes]) if (n.ephemeral) this.remove(p, zxid);
  }
}
