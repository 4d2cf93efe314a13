/**
 * What reaches a client from outside its own state, checked before use: pushed `changed`
 * notices (typed as what may actually arrive on the wire), and values seeded from the local
 * cache dir at start; plus the metadata shape handed to callbacks.
 */
import { zVersionInfo, type ChangeNotice, type VersionInfo } from "@conifer/protocol";
import type { CacheStore } from "./cache-store.ts";
import { decodeContent } from "./decode.ts";
import type { Logger } from "./options.ts";
import type { Applied, PathTracker } from "./path-tracker.ts";
import type { ValueMeta } from "./types.ts";

export const metaOf = (path: string, a: Applied): ValueMeta => ({
  path,
  version: a.version,
  mzxid: a.mzxid,
  format: a.format,
  raw: a.raw,
  source: a.source,
  exists: a.exists,
});

/** `path` when the notice names one; `notice` only when the whole notice is well formed. */
export function parseNotice(raw: unknown): { path?: string; notice?: { info: VersionInfo; zxid: string } } {
  const n = typeof raw === "object" && raw !== null ? (raw as Partial<Record<keyof ChangeNotice, unknown>>) : undefined;
  const path = typeof n?.path === "string" ? n.path : undefined;
  if (path === undefined) return {};
  const info = zVersionInfo.safeParse(raw);
  const zxid = String(n?.zxid);
  if (!info.success || !/^\d{1,20}$/.test(zxid)) return { path };
  return { path, notice: { info: info.data, zxid } };
}

/** Seeds a tracker with the cached value of its path, if there is a readable one. */
export async function seedFromCache(
  cache: CacheStore | undefined,
  tracker: PathTracker,
  logger: Logger,
): Promise<void> {
  const cached = await cache?.load(tracker.path);
  if (!cached) return;
  const decoded = decodeContent({
    path: cached.path,
    version: cached.version,
    mzxid: cached.mzxid,
    format: cached.format,
    data: cached.raw,
  });
  if (!decoded.ok) {
    logger.warn(`cache for ${tracker.path} ignored: ${decoded.error.message}`);
    return;
  }
  tracker.seed({
    exists: true,
    value: decoded.value,
    raw: cached.raw,
    version: cached.version,
    mzxid: cached.mzxid,
    format: cached.format,
    source: "cache",
    pos: BigInt(cached.mzxid),
  });
}
