/**
 * Plain records of change requests, reviews, publish policies and releases (issue 14), as the
 * release store hands them out. Ids are decimal strings, times epoch milliseconds, zxids decimal
 * strings, like the rest of the store's API.
 */
import type { ContentEncoding } from "./types.ts";

export const CHANGE_STATUSES = [
  "draft",
  "in_review",
  "approved",
  "publishing",
  "published",
  "withdrawn",
  "rejected",
  "conflicted",
] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];
export type ChangeOp = "create" | "update" | "delete";

export interface ChangeItemInput {
  path: string;
  op: ChangeOp;
  /** proposed content ("" for a delete) */
  content: string;
  format: string;
  /** the live version the draft started from; -1 for a create */
  baseVersion: number;
  baseHash: string;
  baseContent: string;
  /** "base64" when the base is not UTF-8 (written by another client); default "utf8" */
  baseEncoding?: ContentEncoding;
}

export type ChangeItemRecord = ChangeItemInput;

/** When a change is to be published and which server is publishing it (and as which release). */
export interface ChangeSchedule {
  scheduledAt: number | null;
  /** the user the scheduled publish acts for */
  scheduledBy: string | null;
  claimedBy: string | null;
  claimedAt: number | null;
  releaseId: string | null;
}

export interface ChangeRecord extends ChangeSchedule {
  id: string;
  title: string;
  message: string;
  author: string;
  status: ChangeStatus;
  revision: number;
  /** the keys that had moved when a publish was refused (status "conflicted") */
  conflicts: string[];
  createdAt: number;
  updatedAt: number;
  items: ChangeItemRecord[];
}

/** A conditional status change: applied only while the change is in one of `from`. */
export interface ChangeTransition {
  from: readonly ChangeStatus[];
  to?: ChangeStatus;
  /** only while claimed by this server (reconcile of one claim happens once) */
  claimedBy?: string | null;
  /** only when scheduled at or before this time (a due scheduled publish fires once) */
  scheduledBefore?: number;
  set?: Partial<ChangeSchedule & { conflicts: string[] }>;
}

export interface ReviewRecord {
  id: string;
  reviewer: string;
  verdict: "approve" | "request_changes" | "reject";
  revision: number;
  comment: string;
  at: number;
}

export interface CommentRecord {
  id: string;
  author: string;
  body: string;
  at: number;
}

export interface PolicyRecord {
  prefix: string;
  mode: "direct" | "review";
  approvalsRequired: number;
  updatedBy: string;
  updatedAt: number;
}

export type ReleaseStatus = "pending" | "published" | "failed";

export interface ReleaseItemRecord {
  path: string;
  op: ChangeOp;
  fromVersion: number;
  /** null until published; for a delete, the version deleted */
  toVersion: number | null;
  fromContent: string;
  toContent: string;
  /** "base64" for content that is not UTF-8 (written by another client); default "utf8" */
  fromEncoding?: ContentEncoding;
  toEncoding?: ContentEncoding;
  /**
   * An empty parent the release had to create for a key (op create), or that a rollback removed
   * again (op delete): not a key of its own. Default false.
   */
  parent?: boolean;
}

export interface ReleaseRecord {
  id: string;
  changeId: string | null;
  status: ReleaseStatus;
  title: string;
  message: string;
  authors: string[];
  approvers: string[];
  publishedBy: string;
  /** the one zxid of the publish multi */
  zxid: string | null;
  rollbackOf: string | null;
  createdAt: number;
  publishedAt: number | null;
  items: ReleaseItemRecord[];
}

export interface ReleaseInput {
  changeId: string | null;
  title: string;
  message: string;
  authors: string[];
  approvers: string[];
  publishedBy: string;
  rollbackOf: string | null;
  items: ReleaseItemRecord[];
}
