/**
 * Release storage (issue 14): change requests with their items, reviews and comments, publish
 * policies per prefix, releases with their items. Only rows live here; the workflow (who may do
 * what, the publish multi, reconcile) is @conifer/core's. Status changes are conditional updates
 * (`transition`), so two servers racing to publish, schedule or reconcile the same change find
 * exactly one winner. Prisma rows never leave this file.
 */
import type { Db } from "./client.ts";
import { HistoryError } from "./errors.ts";
import { coversPath, prefixWhere } from "./prefix.ts";
import type {
  ChangeItemInput,
  ChangeRecord,
  ChangeStatus,
  ChangeTransition,
  CommentRecord,
  PolicyRecord,
  ReleaseInput,
  ReleaseItemRecord,
  ReleaseRecord,
  ReleaseStatus,
  ReviewRecord,
} from "./release-types.ts";
import { toRowId } from "./validate.ts";

export interface ReleaseStore {
  createChange(c: {
    title: string;
    message: string;
    author: string;
    status: ChangeStatus;
    items: ChangeItemInput[];
  }): Promise<ChangeRecord>;
  getChange(id: string): Promise<ChangeRecord | null>;
  /** newest first */
  listChanges(q?: { statuses?: readonly ChangeStatus[]; author?: string }): Promise<ChangeRecord[]>;
  /** Open changes (not published, withdrawn or rejected) with an item on one of `paths`. */
  openChangesOn(paths: string[]): Promise<ChangeRecord[]>;
  /**
   * Replaces the items; `bump` starts a new revision (earlier approvals no longer count). With
   * `from`, only while the change is in one of those statuses (false, nothing changed, otherwise),
   * so an edit cannot slip under a publish another server has just claimed.
   */
  replaceItems(
    id: string,
    items: ChangeItemInput[],
    opts: { bump: boolean; status: ChangeStatus; from?: readonly ChangeStatus[] },
  ): Promise<boolean>;
  /** The conditional update; true when this call made it. */
  transition(id: string, t: ChangeTransition): Promise<boolean>;
  /** Approved changes whose scheduled time has come. */
  dueScheduled(now: number): Promise<ChangeRecord[]>;

  addReview(r: {
    changeId: string;
    reviewer: string;
    verdict: ReviewRecord["verdict"];
    revision: number;
    comment: string;
  }): Promise<ReviewRecord>;
  reviews(changeId: string): Promise<ReviewRecord[]>;
  addComment(c: { changeId: string; author: string; body: string }): Promise<CommentRecord>;
  comments(changeId: string): Promise<CommentRecord[]>;

  policies(): Promise<PolicyRecord[]>;
  setPolicy(p: Omit<PolicyRecord, "updatedAt">): Promise<PolicyRecord>;
  removePolicy(prefix: string): Promise<boolean>;

  createRelease(r: ReleaseInput): Promise<ReleaseRecord>;
  finishRelease(
    id: string,
    f: { status: ReleaseStatus; zxid?: bigint | null; items?: ReleaseItemRecord[] },
  ): Promise<void>;
  getRelease(id: string): Promise<ReleaseRecord | null>;
  /** newest first; `under` keeps releases with an item at or below that prefix */
  listReleases(q?: { under?: string; status?: ReleaseStatus; limit?: number }): Promise<ReleaseRecord[]>;
}

type ChangeRow = NonNullable<Awaited<ReturnType<Db["changeRequest"]["findUnique"]>>>;
type ItemRow = NonNullable<Awaited<ReturnType<Db["changeItem"]["findUnique"]>>>;
type ReleaseRow = NonNullable<Awaited<ReturnType<Db["release"]["findUnique"]>>>;
type ReleaseItemRow = NonNullable<Awaited<ReturnType<Db["releaseItem"]["findUnique"]>>>;

const ms = (d: Date | null) => (d ? d.getTime() : null);
const names = (json: string): string[] => JSON.parse(json) as string[];

function toItem(r: ItemRow): ChangeItemInput {
  return {
    path: r.path,
    op: r.op as ChangeItemInput["op"],
    content: r.content,
    format: r.format,
    baseVersion: r.baseVersion,
    baseHash: r.baseHash,
    baseContent: r.baseContent,
  };
}

function toChange(r: ChangeRow, items: ItemRow[]): ChangeRecord {
  return {
    id: String(r.id),
    title: r.title,
    message: r.message,
    author: r.author,
    status: r.status as ChangeStatus,
    revision: r.revision,
    conflicts: r.conflicts ? names(r.conflicts) : [],
    scheduledAt: ms(r.scheduledAt),
    scheduledBy: r.scheduledBy,
    claimedBy: r.claimedBy,
    claimedAt: ms(r.claimedAt),
    releaseId: r.releaseId === null ? null : String(r.releaseId),
    createdAt: r.createdAt.getTime(),
    updatedAt: r.updatedAt.getTime(),
    items: items.map(toItem),
  };
}

function toReleaseItem(r: ReleaseItemRow): ReleaseItemRecord {
  return {
    path: r.path,
    op: r.op as ReleaseItemRecord["op"],
    fromVersion: r.fromVersion,
    toVersion: r.toVersion,
    fromContent: r.fromContent,
    toContent: r.toContent,
  };
}

function toRelease(r: ReleaseRow, items: ReleaseItemRow[]): ReleaseRecord {
  return {
    id: String(r.id),
    changeId: r.changeId === null ? null : String(r.changeId),
    status: r.status as ReleaseStatus,
    title: r.title,
    message: r.message,
    authors: names(r.authors),
    approvers: names(r.approvers),
    publishedBy: r.publishedBy,
    zxid: r.zxid === null ? null : r.zxid.toString(),
    rollbackOf: r.rollbackOf === null ? null : String(r.rollbackOf),
    createdAt: r.createdAt.getTime(),
    publishedAt: ms(r.publishedAt),
    items: items.map(toReleaseItem),
  };
}

const OPEN: ChangeStatus[] = ["draft", "in_review", "approved", "publishing", "conflicted"];

export function releaseStore(db: Db, guard: <R>(what: string, fn: () => Promise<R>) => Promise<R>): ReleaseStore {
  const changesWithItems = async (rows: ChangeRow[]) => {
    const items = await db.changeItem.findMany({
      where: { changeId: { in: rows.map((r) => r.id) } },
      orderBy: { path: "asc" },
    });
    return rows.map((r) =>
      toChange(
        r,
        items.filter((i) => i.changeId === r.id),
      ),
    );
  };
  const releasesWithItems = async (rows: ReleaseRow[]) => {
    const items = await db.releaseItem.findMany({
      where: { releaseId: { in: rows.map((r) => r.id) } },
      orderBy: { path: "asc" },
    });
    return rows.map((r) =>
      toRelease(
        r,
        items.filter((i) => i.releaseId === r.id),
      ),
    );
  };
  const itemData = (changeId: number, items: ChangeItemInput[]) => items.map((i) => ({ ...i, changeId }));

  return {
    createChange: (c) =>
      guard("createChange", async () => {
        const row = await db.$transaction(async (tx) => {
          const created = await tx.changeRequest.create({
            data: { title: c.title, message: c.message, author: c.author, status: c.status },
          });
          await tx.changeItem.createMany({ data: itemData(created.id, c.items) });
          return created;
        });
        const [change] = await changesWithItems([row]);
        if (!change) throw new HistoryError("INTERNAL", "change vanished after create");
        return change;
      }),
    getChange: (id) =>
      guard("getChange", async () => {
        const row = await db.changeRequest.findUnique({ where: { id: toRowId(id, "change id") } });
        return row ? ((await changesWithItems([row]))[0] ?? null) : null;
      }),
    listChanges: (q = {}) =>
      guard("listChanges", async () =>
        changesWithItems(
          await db.changeRequest.findMany({
            where: {
              ...(q.statuses ? { status: { in: [...q.statuses] } } : {}),
              ...(q.author ? { author: q.author } : {}),
            },
            orderBy: { id: "desc" },
            take: 500,
          }),
        ),
      ),
    openChangesOn: (paths) =>
      guard("openChangesOn", async () => {
        const items = await db.changeItem.findMany({ where: { path: { in: paths } }, select: { changeId: true } });
        const ids = [...new Set(items.map((i) => i.changeId))];
        return changesWithItems(
          await db.changeRequest.findMany({
            where: { id: { in: ids }, status: { in: OPEN } },
            orderBy: { id: "desc" },
          }),
        );
      }),
    replaceItems: (id, items, opts) =>
      guard("replaceItems", async () => {
        const changeId = toRowId(id, "change id");
        return db.$transaction(async (tx) => {
          // updateMany, not update: an unknown id is NOT_FOUND here, not Prisma's P2025 (INTERNAL)
          const { count } = await tx.changeRequest.updateMany({
            where: { id: changeId, ...(opts.from ? { status: { in: [...opts.from] } } : {}) },
            data: {
              status: opts.status,
              conflicts: null,
              updatedAt: new Date(),
              ...(opts.bump ? { revision: { increment: 1 } } : {}),
            },
          });
          if (count === 0) {
            if (opts.from && (await tx.changeRequest.count({ where: { id: changeId } })) === 1) return false;
            throw new HistoryError("NOT_FOUND", `no change ${id}`);
          }
          await tx.changeItem.deleteMany({ where: { changeId } });
          await tx.changeItem.createMany({ data: itemData(changeId, items) });
          return true;
        });
      }),
    transition: (id, t) =>
      guard("transition", async () => {
        const s = t.set ?? {};
        const { count } = await db.changeRequest.updateMany({
          where: {
            id: toRowId(id, "change id"),
            status: { in: [...t.from] },
            ...(t.claimedBy !== undefined ? { claimedBy: t.claimedBy } : {}),
            ...(t.scheduledBefore !== undefined ? { scheduledAt: { lte: new Date(t.scheduledBefore) } } : {}),
          },
          data: {
            updatedAt: new Date(),
            ...(t.to ? { status: t.to } : {}),
            ...(s.conflicts !== undefined ? { conflicts: JSON.stringify(s.conflicts) } : {}),
            ...(s.scheduledAt !== undefined
              ? { scheduledAt: s.scheduledAt === null ? null : new Date(s.scheduledAt) }
              : {}),
            ...(s.scheduledBy !== undefined ? { scheduledBy: s.scheduledBy } : {}),
            ...(s.claimedBy !== undefined ? { claimedBy: s.claimedBy } : {}),
            ...(s.claimedAt !== undefined ? { claimedAt: s.claimedAt === null ? null : new Date(s.claimedAt) } : {}),
            ...(s.releaseId !== undefined
              ? { releaseId: s.releaseId === null ? null : toRowId(s.releaseId, "release id") }
              : {}),
          },
        });
        return count === 1;
      }),
    dueScheduled: (now) =>
      guard("dueScheduled", async () =>
        changesWithItems(
          await db.changeRequest.findMany({
            where: { status: "approved", scheduledAt: { lte: new Date(now) } },
            orderBy: { scheduledAt: "asc" },
          }),
        ),
      ),

    addReview: (r) =>
      guard("addReview", async () => {
        const row = await db.changeReview.create({ data: { ...r, changeId: toRowId(r.changeId, "change id") } });
        return { ...r, id: String(row.id), at: row.at.getTime() };
      }),
    reviews: (changeId) =>
      guard("reviews", async () =>
        (
          await db.changeReview.findMany({
            where: { changeId: toRowId(changeId, "change id") },
            orderBy: { id: "asc" },
          })
        ).map((r) => ({
          id: String(r.id),
          reviewer: r.reviewer,
          verdict: r.verdict as ReviewRecord["verdict"],
          revision: r.revision,
          comment: r.comment,
          at: r.at.getTime(),
        })),
      ),
    addComment: (c) =>
      guard("addComment", async () => {
        const row = await db.changeComment.create({ data: { ...c, changeId: toRowId(c.changeId, "change id") } });
        return { id: String(row.id), author: row.author, body: row.body, at: row.at.getTime() };
      }),
    comments: (changeId) =>
      guard("comments", async () =>
        (
          await db.changeComment.findMany({
            where: { changeId: toRowId(changeId, "change id") },
            orderBy: { id: "asc" },
          })
        ).map((r) => ({ id: String(r.id), author: r.author, body: r.body, at: r.at.getTime() })),
      ),

    policies: () =>
      guard("policies", async () =>
        (await db.publishPolicy.findMany({ orderBy: { prefix: "asc" } })).map((r) => ({
          prefix: r.prefix,
          mode: r.mode as PolicyRecord["mode"],
          approvalsRequired: r.approvalsRequired,
          updatedBy: r.updatedBy,
          updatedAt: r.updatedAt.getTime(),
        })),
      ),
    setPolicy: (p) =>
      guard("setPolicy", async () => {
        const data = {
          mode: p.mode,
          approvalsRequired: p.approvalsRequired,
          updatedBy: p.updatedBy,
          updatedAt: new Date(),
        };
        const r = await db.publishPolicy.upsert({
          where: { prefix: p.prefix },
          create: { prefix: p.prefix, ...data },
          update: data,
        });
        return { ...p, updatedAt: r.updatedAt.getTime() };
      }),
    removePolicy: (prefix) =>
      guard("removePolicy", async () => (await db.publishPolicy.deleteMany({ where: { prefix } })).count === 1),

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
        const [release] = await releasesWithItems([row]);
        if (!release) throw new HistoryError("INTERNAL", "release vanished after create");
        return release;
      }),
    finishRelease: (id, f) =>
      guard("finishRelease", async () => {
        const releaseId = toRowId(id, "release id");
        await db.$transaction(async (tx) => {
          const { count } = await tx.release.updateMany({
            where: { id: releaseId },
            data: {
              status: f.status,
              ...(f.zxid !== undefined ? { zxid: f.zxid } : {}),
              ...(f.status === "published" ? { publishedAt: new Date() } : {}),
            },
          });
          if (count === 0) throw new HistoryError("NOT_FOUND", `no release ${id}`);
          if (f.items) {
            await tx.releaseItem.deleteMany({ where: { releaseId } });
            await tx.releaseItem.createMany({ data: f.items.map((i) => ({ ...i, releaseId })) });
          }
        });
      }),
    getRelease: (id) =>
      guard("getRelease", async () => {
        const row = await db.release.findUnique({ where: { id: toRowId(id, "release id") } });
        return row ? ((await releasesWithItems([row]))[0] ?? null) : null;
      }),
    listReleases: (q = {}) =>
      guard("listReleases", async () => {
        const under = q.under && q.under !== "/" ? q.under : undefined;
        // the database filter is a superset (case-insensitive LIKE on SQLite); coversPath is exact
        const ids = under
          ? [
              ...new Set(
                (
                  await db.releaseItem.findMany({
                    where: prefixWhere(under),
                    select: { releaseId: true, path: true },
                  })
                )
                  .filter((i) => coversPath(under, i.path))
                  .map((i) => i.releaseId),
              ),
            ]
          : undefined;
        const rows = await db.release.findMany({
          where: { ...(ids ? { id: { in: ids } } : {}), ...(q.status ? { status: q.status } : {}) },
          orderBy: { id: "desc" },
          take: q.limit ?? 100,
        });
        return releasesWithItems(rows);
      }),
  };
}
