/**
 * Storage of releases (issue 14): one row per publish (direct, reviewed or a rollback) with its
 * items, version from → to and the multi's zxid. Created pending before the multi is sent and
 * finished once its outcome is known, so a crash in between leaves a row the reconcile settles.
 */
import type { Db } from "./client.ts";
import { HistoryError } from "./errors.ts";
import { coversPath, prefixWhere } from "./prefix.ts";
import type { ReleaseInput, ReleaseItemRecord, ReleaseRecord, ReleaseStatus } from "./release-types.ts";
import { toRelease, withChildren, type Guard, type ReleaseRow } from "./release-rows.ts";
import { toRowId } from "./validate.ts";

export interface ReleaseRecordStore {
  createRelease(r: ReleaseInput): Promise<ReleaseRecord>;
  /**
   * Sets the outcome; false when `ifPending` and the release is no longer pending (two servers
   * settling one release: one of them finishes it, and its items are written once).
   */
  finishRelease(
    id: string,
    f: { status: ReleaseStatus; zxid?: bigint | null; items?: ReleaseItemRecord[]; ifPending?: boolean },
  ): Promise<boolean>;
  getRelease(id: string): Promise<ReleaseRecord | null>;
  /** newest first; `under` keeps releases with an item at or below that prefix */
  listReleases(q?: { under?: string; status?: ReleaseStatus; limit?: number }): Promise<ReleaseRecord[]>;
}

export function releaseRecordStore(db: Db, guard: Guard): ReleaseRecordStore {
  const withItems = (rows: ReleaseRow[]) =>
    withChildren(
      rows,
      (ids) => db.releaseItem.findMany({ where: { releaseId: { in: ids } }, orderBy: { path: "asc" } }),
      (i) => i.releaseId,
      toRelease,
    );

  /** ids of releases with an item at or below `under`; the LIKE filter is a superset on SQLite */
  const releasesUnder = async (under: string) => [
    ...new Set(
      (await db.releaseItem.findMany({ where: prefixWhere(under), select: { releaseId: true, path: true } }))
        .filter((i) => coversPath(under, i.path))
        .map((i) => i.releaseId),
    ),
  ];

  return {
    createRelease: (r) =>
      guard("createRelease", async () => {
        const row = await db.$transaction(async (tx) => {
          const created = await tx.release.create({
            data: {
              changeId: r.changeId === null ? null : toRowId(r.changeId, "change id"),
              status: "pending",
              title: r.title,
              message: r.message,
              authors: JSON.stringify(r.authors),
              approvers: JSON.stringify(r.approvers),
              publishedBy: r.publishedBy,
              rollbackOf: r.rollbackOf === null ? null : toRowId(r.rollbackOf, "release id"),
            },
          });
          await tx.releaseItem.createMany({ data: r.items.map((i) => ({ ...i, releaseId: created.id })) });
          return created;
        });
        const [release] = await withItems([row]);
        if (!release) throw new HistoryError("INTERNAL", "release vanished after create");
        return release;
      }),
    finishRelease: (id, f) =>
      guard("finishRelease", async () => {
        const releaseId = toRowId(id, "release id");
        return db.$transaction(async (tx) => {
          // the conditional update is the lock: a concurrent finish waits for it, then finds it done
          const { count } = await tx.release.updateMany({
            where: { id: releaseId, ...(f.ifPending ? { status: "pending" } : {}) },
            data: {
              status: f.status,
              ...(f.zxid !== undefined ? { zxid: f.zxid } : {}),
              ...(f.status === "published" ? { publishedAt: new Date() } : {}),
            },
          });
          if (count === 0) {
            if (f.ifPending && (await tx.release.count({ where: { id: releaseId } })) > 0) return false;
            throw new HistoryError("NOT_FOUND", `no release ${id}`);
          }
          if (f.items) {
            await tx.releaseItem.deleteMany({ where: { releaseId } });
            await tx.releaseItem.createMany({ data: f.items.map((i) => ({ ...i, releaseId })) });
          }
          return true;
        });
      }),
    getRelease: (id) =>
      guard("getRelease", async () => {
        const row = await db.release.findUnique({ where: { id: toRowId(id, "release id") } });
        return row ? ((await withItems([row]))[0] ?? null) : null;
      }),
    listReleases: (q = {}) =>
      guard("listReleases", async () => {
        const under = q.under && q.under !== "/" ? q.under : undefined;
        const ids = under ? await releasesUnder(under) : undefined;
        const rows = await db.release.findMany({
          where: { ...(ids ? { id: { in: ids } } : {}), ...(q.status ? { status: q.status } : {}) },
          orderBy: { id: "desc" },
          take: q.limit ?? 100,
        });
        return withItems(rows);
      }),
  };
}
