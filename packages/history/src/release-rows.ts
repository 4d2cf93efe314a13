/**
 * Prisma rows of the release model → the plain records of release-types.ts. The stores of
 * change requests and releases use these; Prisma rows never leave the history package.
 */
import type { Db } from "./client.ts";
import type {
  ChangeItemInput,
  ChangeRecord,
  ChangeStatus,
  ReleaseItemRecord,
  ReleaseRecord,
  ReleaseStatus,
} from "./release-types.ts";
import type { ContentEncoding } from "./types.ts";

export type ChangeRow = NonNullable<Awaited<ReturnType<Db["changeRequest"]["findUnique"]>>>;
export type ItemRow = NonNullable<Awaited<ReturnType<Db["changeItem"]["findUnique"]>>>;
export type ReleaseRow = NonNullable<Awaited<ReturnType<Db["release"]["findUnique"]>>>;
export type ReleaseItemRow = NonNullable<Awaited<ReturnType<Db["releaseItem"]["findUnique"]>>>;

/** How every store function runs: closed-store check and error mapping (store.ts). */
export type Guard = <R>(what: string, fn: () => Promise<R>) => Promise<R>;

export const ms = (d: Date | null) => (d ? d.getTime() : null);
const names = (json: string): string[] => JSON.parse(json) as string[];
const idOrNull = (id: number | null) => (id === null ? null : String(id));

/**
 * Parents with their children, fetched in one query: `children(ids)` returns every child of
 * those parents, `parentOf` names a child's parent.
 */
export async function withChildren<P extends { id: number }, C, T>(
  parents: P[],
  children: (ids: number[]) => Promise<C[]>,
  parentOf: (c: C) => number,
  build: (p: P, cs: C[]) => T,
): Promise<T[]> {
  const all = await children(parents.map((p) => p.id));
  return parents.map((p) =>
    build(
      p,
      all.filter((c) => parentOf(c) === p.id),
    ),
  );
}

/** A copy of `row` without the columns `keys` (row ids the records do not carry). */
export function without<T extends object, K extends keyof T>(row: T, ...keys: K[]): Omit<T, K> {
  const drop = new Set<PropertyKey>(keys);
  return Object.fromEntries(Object.entries(row).filter(([k]) => !drop.has(k))) as Omit<T, K>;
}

function toItem(r: ItemRow): ChangeItemInput {
  return {
    ...without(r, "id", "changeId"),
    op: r.op as ChangeItemInput["op"],
    baseEncoding: r.baseEncoding as ContentEncoding,
  };
}

export function toChange(r: ChangeRow, items: ItemRow[]): ChangeRecord {
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
    releaseId: idOrNull(r.releaseId),
    createdAt: r.createdAt.getTime(),
    updatedAt: r.updatedAt.getTime(),
    items: items.map(toItem),
  };
}

function toReleaseItem(r: ReleaseItemRow): ReleaseItemRecord {
  return {
    ...without(r, "id", "releaseId"),
    op: r.op as ReleaseItemRecord["op"],
    fromEncoding: r.fromEncoding as ContentEncoding,
    toEncoding: r.toEncoding as ContentEncoding,
  };
}

export function toRelease(r: ReleaseRow, items: ReleaseItemRow[]): ReleaseRecord {
  return {
    id: String(r.id),
    changeId: idOrNull(r.changeId),
    status: r.status as ReleaseStatus,
    title: r.title,
    message: r.message,
    authors: names(r.authors),
    approvers: names(r.approvers),
    publishedBy: r.publishedBy,
    zxid: r.zxid === null ? null : r.zxid.toString(),
    rollbackOf: idOrNull(r.rollbackOf),
    createdAt: r.createdAt.getTime(),
    publishedAt: ms(r.publishedAt),
    items: items.map(toReleaseItem),
  };
}
