/**
 * JSON-safe shapes the server hands out (64-bit values as decimal strings), and the helpers that
 * derive them from backend values. The API contract (briefs/api-contract.md) fixes these shapes.
 */
import type { Stat } from "@conifer/coordinator";
import { formatOf, type Format } from "@conifer/formats";
import type { AuditVersionRef } from "./audit-view.ts";
import type { AuditEntry, HistoryEntry, HistorySource } from "./history-port.ts";

export type { Format, HistorySource };
export type NodeKind = "persistent" | "ephemeral" | "container" | "ttl";
/** What a request may say it comes from (X-Conifer-Source): a client surface. */
export type WriteSource = Exclude<HistorySource, "external" | "rollback" | "restore" | "schedule">;
/** Who writes: a client surface, or the scheduler acting for the user who scheduled a publish. */
export type ActorSource = WriteSource | "schedule";

export interface StatDTO {
  czxid: string;
  mzxid: string;
  pzxid: string;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: string;
  dataLength: number;
  numChildren: number;
}

export function toStatDTO(s: Stat): StatDTO {
  return {
    czxid: s.czxid.toString(),
    mzxid: s.mzxid.toString(),
    pzxid: s.pzxid.toString(),
    ctime: s.ctime,
    mtime: s.mtime,
    version: s.version,
    cversion: s.cversion,
    aversion: s.aversion,
    ephemeralOwner: s.ephemeralOwner.toString(),
    dataLength: s.dataLength,
    numChildren: s.numChildren,
  };
}

/**
 * Containers and TTL nodes report ephemeralOwner 0 on the wire (protocol §1.2), so a Stat can
 * only tell ephemeral from the rest; everything else shows as persistent.
 */
export function kindOf(s: Stat): NodeKind {
  return s.ephemeralOwner !== 0n ? "ephemeral" : "persistent";
}

/** Sequential nodes carry the parent's counter as a 10-digit suffix (protocol §1.3). */
export function isSequentialName(name: string): boolean {
  return /(\d{10}|-2147483648)$/.test(name);
}

export function formatOfPath(path: string): Format {
  return formatOf(path);
}

/** Who did something and through which door; filled by the API layer from the request. */
export interface Actor {
  author: string;
  source: ActorSource;
  ip?: string;
}

/** A history row as the API shows it: the store's entry without its czxid and encoding. */
export type HistoryEntryDTO = Omit<HistoryEntry, "czxid" | "encoding">;

export function toHistoryDTO(r: HistoryEntry): HistoryEntryDTO {
  return {
    id: r.id,
    path: r.path,
    version: r.version,
    mzxid: r.mzxid,
    op: r.op,
    author: r.author,
    message: r.message,
    source: r.source,
    at: r.at,
    contentHash: r.contentHash,
    size: r.size,
    // the release this version was published in: per-key history links to it
    ...(r.releaseId ? { releaseId: r.releaseId } : {}),
  };
}

/** An audit row as the API shows it: the store's row, its readable sentence and the versions it names. */
export type AuditEntryDTO = AuditEntry & {
  /** one readable sentence, without internal ids (audit-view.ts) */
  summary: string;
  /** the versions the row names, with their history entry when known (for links) */
  versions: AuditVersionRef[];
};
