/**
 * Opaque pagination cursors. History pages are ordered by (mzxid, id) so a change recorded late
 * (reconciled after a crash) still lands at its place in the znode's timeline; audit pages by id.
 */
import { HistoryError } from "./errors.ts";

export function encodeHistoryCursor(mzxid: bigint, id: number): string {
  return `h${mzxid.toString()}.${id}`;
}

export function decodeHistoryCursor(cursor: string): { mzxid: bigint; id: number } {
  const [, mzxid, id] = /^h(\d{1,19})\.(\d{1,10})$/.exec(cursor) ?? [];
  if (mzxid === undefined || id === undefined)
    throw new HistoryError("INVALID_CURSOR", `not a history cursor: ${JSON.stringify(cursor)}`);
  return { mzxid: BigInt(mzxid), id: Number(id) };
}

export function encodeAuditCursor(id: number): string {
  return `a${id}`;
}

export function decodeAuditCursor(cursor: string): number {
  const [, id] = /^a(\d{1,10})$/.exec(cursor) ?? [];
  if (id === undefined) throw new HistoryError("INVALID_CURSOR", `not an audit cursor: ${JSON.stringify(cursor)}`);
  return Number(id);
}
