/**
 * What a gray release is in the backend (issue 16): one JSON znode /conifer/gray/<id>, so every
 * server behind a load balancer reads the same state and it survives restarts. An aborted gray
 * stays (state `aborted`) rather than being deleted: its znode's mzxid is what keeps the live
 * content served to its former targets newer than the gray content they held (gray-view.ts),
 * even for a server that starts after the abort. A promoted gray is removed by the promote's
 * multi, whose zxid already puts the live content past everything served before.
 */
import { joinPath } from "@conifer/coordinator";
import type { Format } from "../dto.ts";
import { GRAY_ROOT } from "../paths.ts";
import type { GrayTargetInput } from "./gray-target.ts";

export type GrayState = "active" | "aborted";

export interface GrayKey {
  content: string;
  format: Format;
  /** the live version the gray was started from; the promote is conditional on it */
  baseVersion: number;
}

export interface GrayRecord {
  id: string;
  /** the release's keys by path */
  keys: Record<string, GrayKey>;
  target: GrayTargetInput;
  author: string;
  /** epoch ms */
  createdAt: number;
  state: GrayState;
  title: string;
  /** the approved change request the gray was started from: its promote publishes that change */
  changeId?: string;
}

/** A record as a server holds it: with the mzxid of the znode it was read from. */
export interface GrayEntry {
  record: GrayRecord;
  mzxid: bigint;
}

export const GRAY_ID = /^g[0-9a-z]{6,40}$/;

export const grayPath = (id: string): string => joinPath(GRAY_ROOT, id);

export function encodeGray(r: GrayRecord): Buffer {
  return Buffer.from(JSON.stringify(r), "utf8");
}

/** The record in a znode's data, or null when it is not one of ours (written by hand, say). */
export function decodeGray(id: string, data: Buffer): GrayRecord | null {
  try {
    // written by this module, or by hand with zkCli: nothing about its shape is taken on trust
    const r = JSON.parse(data.toString("utf8")) as Record<string, unknown> | null;
    if (!r || r.id !== id || typeof r.keys !== "object" || r.keys === null || typeof r.target !== "object") return null;
    if (r.state !== "active" && r.state !== "aborted") return null;
    return {
      id,
      keys: r.keys as GrayRecord["keys"],
      target: r.target ?? {},
      author: typeof r.author === "string" ? r.author : "",
      createdAt: typeof r.createdAt === "number" ? r.createdAt : 0,
      state: r.state,
      title: typeof r.title === "string" ? r.title : "",
      ...(typeof r.changeId === "string" ? { changeId: r.changeId } : {}),
    };
  } catch {
    return null;
  }
}
