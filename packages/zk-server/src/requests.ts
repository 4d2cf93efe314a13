/**
 * One ZooKeeper request (RequestHeader already read) becomes one engine call on the session
 * (§2.1, §5.4). Every call is issued synchronously, in arrival order, so the engine's FIFO per
 * session is the connection's FIFO; the header zxid is sampled as the call is applied.
 */
import { AddWatchMode, CoordinatorError, ErrorCode, WatcherType } from "@conifer/coordinator";
import type { AddWatchModeName, WatcherTypeName } from "@conifer/coordinator";
import type { Engine } from "@conifer/engine";
import { OpCode, readAcl, writeAcl, writeStat } from "@conifer/zookeeper/wire";
import type { JuteReader, JuteWriter } from "@conifer/zookeeper/wire";
import { createOptions, readCreateRequest } from "./create.ts";
import { existsNow, getChildrenNow, getDataNow } from "./read-now.ts";
import {
  MultiShapeError,
  failedCodes,
  readMultiOps,
  readMultiReadOps,
  writeMultiFailure,
  writeMultiReadResults,
  writeMultiResults,
} from "./multi.ts";
import type { ReadResult } from "./multi.ts";
import { errorNumber, issue } from "./replies.ts";
import type { Outcome, Reply } from "./replies.ts";
import type { WireSession } from "./sessions.ts";
import { javaSetOrder } from "./who-am-i.ts";

/** ZooKeeper's RECONFIGDISABLED: this server is standalone, no dynamic reconfiguration */
const RECONFIG_DISABLED = -123;

const watcherTypeByNumber = new Map<number, WatcherTypeName>(
  (Object.keys(WatcherType) as WatcherTypeName[]).map((k) => [WatcherType[k], k]),
);
const addWatchModeByNumber = new Map<number, AddWatchModeName>(
  (Object.keys(AddWatchMode) as AddWatchModeName[]).map((k) => [AddWatchMode[k], k]),
);

function strings(w: JuteWriter, items: readonly string[]): void {
  w.vector(items, (ww, s) => void ww.ustring(s));
}

function fail(err: number, zxid: bigint): Reply {
  return { err, zxid };
}

/** a request the server does not know: UNIMPLEMENTED with zxid -1, then the connection closes */
export const UNKNOWN = Symbol("unknown opcode");

export function handleRequest(engine: Engine, ws: WireSession, op: number, r: JuteReader): Outcome | typeof UNKNOWN {
  const s = ws.session;
  const z = () => engine.lastZxid;
  switch (op) {
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL: {
      const { path, data, acl, flags, ttl } = readCreateRequest(r, op);
      return issue(
        z,
        () => s.create(path, data, createOptions(flags, acl, ttl)),
        (w, res) => {
          w.ustring(res.path);
          if (op !== OpCode.create) writeStat(w, res.stat);
        },
      );
    }
    case OpCode.delete: {
      const path = r.ustring() ?? "";
      const version = r.int();
      return issue(z, () => s.delete(path, version));
    }
    case OpCode.exists: {
      const path = r.ustring() ?? "";
      const watcher = r.bool() ? ws.watcher : undefined;
      return (
        existsNow(engine, s, path, watcher) ??
        issue(
          z,
          () =>
            s.exists(path, watcher).then((stat) => {
              if (!stat) throw new CoordinatorError("NO_NODE", path, path);
              return stat;
            }),
          writeStat,
        )
      );
    }
    case OpCode.getData: {
      const path = r.ustring() ?? "";
      const watcher = r.bool() ? ws.watcher : undefined;
      return (
        getDataNow(engine, s, path, watcher) ??
        issue(
          z,
          () => s.getData(path, watcher),
          (w, res) => {
            w.buffer(res.data);
            writeStat(w, res.stat);
          },
        )
      );
    }
    case OpCode.setData: {
      const path = r.ustring() ?? "";
      const data = r.buffer();
      const version = r.int();
      return issue(z, async () => (await s.setData(path, data, version)).stat, writeStat);
    }
    case OpCode.getACL: {
      const path = r.ustring() ?? "";
      return issue(
        z,
        () => s.getACL(path),
        (w, res) => {
          writeAcl(w, res.acl);
          writeStat(w, res.stat);
        },
      );
    }
    case OpCode.setACL: {
      const path = r.ustring() ?? "";
      const acl = readAcl(r);
      const version = r.int();
      return issue(z, async () => (await s.setACL(path, acl, version)).stat, writeStat);
    }
    case OpCode.getChildren:
    case OpCode.getChildren2: {
      const path = r.ustring() ?? "";
      const watcher = r.bool() ? ws.watcher : undefined;
      const v2 = op === OpCode.getChildren2;
      return (
        getChildrenNow(engine, s, path, watcher, v2) ??
        issue(
          z,
          () => s.getChildren(path, watcher),
          (w, res) => {
            strings(w, res.children);
            if (v2) writeStat(w, res.stat);
          },
        )
      );
    }
    case OpCode.sync: {
      // ZooKeeper echoes any path, valid or not; the engine only has to order it
      const path = r.ustring() ?? "";
      return issue(
        z,
        () => s.sync("/"),
        (w) => void w.ustring(path),
      );
    }
    case OpCode.ping:
      // answered in request order, behind every earlier reply
      return issue(z, () => s.sync("/"));
    case OpCode.check:
      // 3.8.0 fails internally on a bare check and sends nothing back
      r.ustring();
      r.int();
      return null;
    case OpCode.multi:
      return multi(engine, ws, r);
    case OpCode.multiRead:
      return multiRead(engine, ws, r);
    case OpCode.checkWatches:
    case OpCode.removeWatches: {
      const path = r.ustring() ?? "";
      const type = watcherTypeByNumber.get(r.int());
      if (type === undefined) return fail(ErrorCode.BAD_ARGUMENTS, z());
      if (op === OpCode.removeWatches) return issue(z, () => s.removeWatches(path, type));
      const has = engine.hasWatch(s, path, type);
      return issue(z, () =>
        s.sync("/").then(() => {
          if (!has) throw new CoordinatorError("NO_WATCHER", path, path);
        }),
      );
    }
    case OpCode.addWatch: {
      const path = r.ustring() ?? "";
      const mode = addWatchModeByNumber.get(r.int());
      if (mode === undefined) return fail(ErrorCode.BAD_ARGUMENTS, z());
      // the reply carries an ErrorResponse{0} body
      return issue(
        z,
        () => s.addWatch(path, mode, ws.watcher),
        (w) => void w.int(0),
      );
    }
    case OpCode.getEphemerals: {
      const prefix = r.ustring() ?? "/";
      return issue(z, () => s.getEphemerals(prefix), strings);
    }
    case OpCode.getAllChildrenNumber: {
      const path = r.ustring() ?? "";
      return issue(
        z,
        () => s.getAllChildrenNumber(path),
        (w, n) => void w.int(n),
      );
    }
    case OpCode.whoAmI: {
      const infos = javaSetOrder(engine.whoAmI(s));
      return issue(
        z,
        () => s.sync("/"),
        (w) => void w.vector(infos, (ww, i) => void ww.ustring(i.scheme).ustring(i.user)),
      );
    }
    case OpCode.reconfig:
      return issue(z, () => s.sync("/")).then((rep): Reply => ({ ...rep, err: RECONFIG_DISABLED }));
    default:
      return UNKNOWN;
  }
}

function multi(engine: Engine, ws: WireSession, r: JuteReader): Promise<Reply> | Reply {
  let ops;
  try {
    ops = readMultiOps(r);
  } catch (err) {
    if (err instanceof MultiShapeError) return fail(ErrorCode.MARSHALLING_ERROR, engine.lastZxid);
    if (err instanceof CoordinatorError) return fail(err.codeNumber, engine.lastZxid);
    throw err;
  }
  const p = ws.session.multi(ops);
  const zxid = engine.lastZxid;
  return p.then(
    (results): Reply => ({
      err: 0,
      zxid,
      body: (w) => {
        writeMultiResults(w, results.results);
      },
    }),
    (err: unknown): Reply => {
      if (!(err instanceof CoordinatorError) || (!err.opCodes && ops.length === 0)) return fail(errorNumber(err), zxid);
      const codes = failedCodes(err, ops.length);
      return {
        err: 0,
        zxid,
        body: (w) => {
          writeMultiFailure(w, codes);
        },
      };
    },
  );
}

function multiRead(engine: Engine, ws: WireSession, r: JuteReader): Promise<Reply> | Reply {
  let ops;
  try {
    ops = readMultiReadOps(r);
  } catch (err) {
    if (err instanceof MultiShapeError) return fail(ErrorCode.MARSHALLING_ERROR, engine.lastZxid);
    throw err;
  }
  const zxid = engine.lastZxid;
  const s = ws.session;
  const results = ops.map((op): Promise<ReadResult> =>
    op.type === OpCode.getData
      ? s.getData(op.path).then(
          (d): ReadResult => ({ type: OpCode.getData, data: d.data, stat: d.stat }),
          (e: unknown): ReadResult => ({ type: OpCode.error, err: errorNumber(e) }),
        )
      : s.getChildren(op.path).then(
          (c): ReadResult => ({ type: OpCode.getChildren, children: c.children }),
          (e: unknown): ReadResult => ({ type: OpCode.error, err: errorNumber(e) }),
        ),
  );
  return Promise.all(results).then((rs): Reply => ({
    err: 0,
    zxid,
    body: (w) => {
      writeMultiReadResults(w, rs);
    },
  }));
}
