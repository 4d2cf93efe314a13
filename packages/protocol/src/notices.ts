/**
 * Shapes that travel over socket.io between the server and its clients (SDK and console).
 * zxids travel as decimal strings because JSON has no 64-bit integers.
 */
import { z } from "zod";
import { zLabels } from "./labels.ts";

/** A znode path as clients may send it: absolute, no NUL / control characters, bounded. */
export const zPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith("/"), "path must start with /");

/** zxid as a decimal string */
export const zZxid = z.string().regex(/^\d{1,20}$/, "zxid must be a decimal string");

/**
 * Where a config stands now. `mzxid` orders every change of a path (including delete and
 * re-create), so the SDK uses it, not `version`, to decide what is newer.
 */
export const zVersionInfo = z.object({
  path: zPath,
  exists: z.boolean(),
  /** znode Stat.version; -1 when the node does not exist */
  version: z.number().int(),
  /** znode Stat.mzxid; "0" when the node does not exist */
  mzxid: zZxid,
});
export type VersionInfo = z.infer<typeof zVersionInfo>;

/** Pushed by the server when a watched path changed: small, the data is pulled separately. */
export type ChangeNotice = VersionInfo & {
  /** zxid of the transaction that caused the notice */
  zxid: string;
};

/** The paths (of those a socket subscribes) one transaction changed, announced together. */
export interface ChangeGroup {
  zxid: string;
  paths: string[];
}

/** What a pull returns: the content as UTF-8 text plus where it stands. */
export const zConfigSnapshot = zVersionInfo.extend({
  data: z.string(),
  format: z.enum(["json", "yaml", "properties", "toml", "text"]),
});
export type ConfigSnapshot = z.infer<typeof zConfigSnapshot>;

/** A tree event for the console's live views (mirrors ZooKeeper's event types). */
export interface TreeEvent {
  type: "NodeCreated" | "NodeDeleted" | "NodeDataChanged" | "NodeChildrenChanged";
  path: string;
}

/** Who an SDK instance is; registered by the server as an ephemeral znode. */
export const zHello = z.object({
  app: z.string().min(1).max(200),
  host: z.string().min(1).max(255),
  pid: z.number().int().nonnegative(),
  /** stable per process, chosen by the SDK */
  instanceId: z
    .string()
    .min(8)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/),
  sdkVersion: z.string().max(40).optional(),
  /** who the instance is, for selectors (gray releases); see labels.ts */
  labels: zLabels.optional(),
});
export type Hello = z.infer<typeof zHello>;

export const zSubscribe = z.object({ paths: z.array(zPath).min(1).max(1000) });
export const zFetch = z.object({ path: zPath });
export const zApplied = z.object({
  path: zPath,
  version: z.number().int(),
  mzxid: zZxid,
  release: zZxid.optional(),
});
export const zWatchTree = z.object({ path: zPath });
