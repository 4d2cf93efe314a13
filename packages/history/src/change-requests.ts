/**
 * Storage of change requests (issue 14): the change with its items, its reviews and comments.
 * Status changes are conditional updates (`transition`), so two servers racing to publish,
 * schedule or reconcile the same change find exactly one winner.
 */
import type { Db } from "./client.ts";
import { HistoryError } from "./errors.ts";
import type {
  ChangeItemInput,
  ChangeRecord,
  ChangeStatus,
  ChangeTransition,
  CommentRecord,
  ReviewRecord,
} from "./release-types.ts";
import { toChange, withChildren, without, type ChangeRow, type Guard } from "./release-rows.ts";
import { toRowId } from "./validate.ts";

export interface ChangeRequestStore {
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
   * Replaces the items; `bump` starts a new revision (earlier approvals no longer count, a
   * scheduled publish is dropped). With
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
}

const OPEN: ChangeStatus[] = ["draft", "in_review", "approved", "publishing", "conflicted"];

const orNullDate = (t: number | null) => (t === null ? null : new Date(t));

/** The row update a transition's `set` asks for. */
function setData(s: NonNullable<ChangeTransition["set"]>) {
  return {
    ...(s.conflicts !== undefined ? { conflicts: JSON.stringify(s.conflicts) } : {}),
    ...(s.scheduledAt !== undefined ? { scheduledAt: orNullDate(s.scheduledAt) } : {}),
    ...(s.scheduledBy !== undefined ? { scheduledBy: s.scheduledBy } : {}),
    ...(s.claimedBy !== undefined ? { claimedBy: s.claimedBy } : {}),
    ...(s.claimedAt !== undefined ? { claimedAt: orNullDate(s.claimedAt) } : {}),
    ...(s.releaseId !== undefined
      ? { releaseId: s.releaseId === null ? null : toRowId(s.releaseId, "release id") }
      : {}),
  };
}

export function changeRequestStore(db: Db, guard: Guard): ChangeRequestStore {
  const withItems = (rows: ChangeRow[]) =>
    withChildren(
      rows,
      (ids) => db.changeItem.findMany({ where: { changeId: { in: ids } }, orderBy: { path: "asc" } }),
      (i) => i.changeId,
      toChange,
    );
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
        const [change] = await withItems([row]);
        if (!change) throw new HistoryError("INTERNAL", "change vanished after create");
        return change;
      }),
    getChange: (id) =>
      guard("getChange", async () => {
        const row = await db.changeRequest.findUnique({ where: { id: toRowId(id, "change id") } });
        return row ? ((await withItems([row]))[0] ?? null) : null;
      }),
    listChanges: (q = {}) =>
      guard("listChanges", async () =>
        withItems(
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
        return withItems(
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
              // a schedule was set for the approved content: new content never fires on it
              ...(opts.bump ? { revision: { increment: 1 }, scheduledAt: null, scheduledBy: null } : {}),
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
        const { count } = await db.changeRequest.updateMany({
          where: {
            id: toRowId(id, "change id"),
            status: { in: [...t.from] },
            ...(t.claimedBy !== undefined ? { claimedBy: t.claimedBy } : {}),
            ...(t.scheduledBefore !== undefined ? { scheduledAt: { lte: new Date(t.scheduledBefore) } } : {}),
          },
          data: { updatedAt: new Date(), ...(t.to ? { status: t.to } : {}), ...setData(t.set ?? {}) },
        });
        return count === 1;
      }),
    dueScheduled: (now) =>
      guard("dueScheduled", async () =>
        withItems(
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
          ...without(r, "changeId"),
          id: String(r.id),
          verdict: r.verdict as ReviewRecord["verdict"],
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
  };
}
