/**
 * ZooKeeper wire constants and the records the adapter exchanges (§5.3–5.6 of the protocol
 * reference): opcodes, special xids, Stat/ACL codecs and the request-record encoders.
 */
import type { ACL, Stat } from "@conifer/coordinator";
import type { JuteReader, JuteWriter } from "./jute.ts";

export const OpCode = {
  notification: 0,
  create: 1,
  delete: 2,
  exists: 3,
  getData: 4,
  setData: 5,
  getACL: 6,
  setACL: 7,
  getChildren: 8,
  sync: 9,
  ping: 11,
  getChildren2: 12,
  check: 13,
  multi: 14,
  create2: 15,
  checkWatches: 17,
  removeWatches: 18,
  createContainer: 19,
  createTTL: 21,
  multiRead: 22,
  reconfig: 16,
  auth: 100,
  setWatches: 101,
  getEphemerals: 103,
  getAllChildrenNumber: 104,
  setWatches2: 105,
  addWatch: 106,
  whoAmI: 107,
  sasl: 102,
  closeSession: -11,
  error: -1,
} as const;

export const Xid = { notification: -1, ping: -2, auth: -4, setWatches: -8 } as const;

export function readStat(r: JuteReader): Stat {
  const czxid = r.long();
  const mzxid = r.long();
  const ctime = Number(r.long());
  const mtime = Number(r.long());
  const version = r.int();
  const cversion = r.int();
  const aversion = r.int();
  const ephemeralOwner = r.long();
  const dataLength = r.int();
  const numChildren = r.int();
  const pzxid = r.long();
  return { czxid, mzxid, pzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner, dataLength, numChildren };
}

export function writeStat(w: JuteWriter, s: Stat): void {
  w.long(s.czxid)
    .long(s.mzxid)
    .long(BigInt(s.ctime))
    .long(BigInt(s.mtime))
    .int(s.version)
    .int(s.cversion)
    .int(s.aversion)
    .long(s.ephemeralOwner)
    .int(s.dataLength)
    .int(s.numChildren)
    .long(s.pzxid);
}

export function writeAcl(w: JuteWriter, acl: readonly ACL[] | null): void {
  w.vector(acl, (ww, a) => {
    ww.int(a.perms).ustring(a.id.scheme).ustring(a.id.id);
  });
}

export function readAcl(r: JuteReader): ACL[] {
  return (
    r.vector((rr) => {
      const perms = rr.int();
      const scheme = rr.ustring() ?? "";
      const id = rr.ustring() ?? "";
      return { perms, id: { scheme, id } };
    }) ?? []
  );
}

export function readStrings(r: JuteReader): string[] {
  return r.vector((rr) => rr.ustring() ?? "") ?? [];
}
