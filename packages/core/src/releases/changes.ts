/**
 * Change requests (issue 14): draft, edit (a new revision when what would be published changes),
 * submit for review, approve / request changes, withdraw, comment. Drafts live in the history
 * database only: invisible to SDKs and to the live tree. Every action is checked in the one authz
 * module and audited. Status changes are the store's conditional transitions, so two servers
 * acting on one change at once cannot both win.
 */
import type { ChangeRecord, ChangeStatus, CommentRecord, ReleaseStore, ReviewRecord } from "@conifer/history";
import { authorize, can } from "../auth/authz.ts";
import type { BackendLink } from "../backend-link.ts";
import { stripControlChars } from "../control-chars.ts";
import { ConfigError } from "../errors.ts";
import type { HistoryPort } from "../history-port.ts";
import type { Logger } from "../logger.ts";
import { approvalState, type ApprovalState } from "./approvals.ts";
import { auditAction, type Caller } from "./caller.ts";
import { ChangeEvents } from "./change-events.ts";
import { buildItems, contentChanged, readLive, type ProposedItem } from "./drafts.ts";
import { requirementFor } from "./policies.ts";
import { validateItems } from "./release-writer.ts";

export interface ChangeView {
  change: ChangeRecord;
  reviews: ReviewRecord[];
  comments: CommentRecord[];
  approvals: ApprovalState;
  /** where each key is now: `moved` when the live version is no longer the item's base */
  live: { path: string; version: number; mzxid: string; content: string | null; moved: boolean }[];
}

const EDITABLE: ChangeStatus[] = ["draft", "in_review", "approved", "conflicted"];
const REVIEWABLE: ChangeStatus[] = ["in_review", "approved"];

const clean = (s: string | undefined, max: number) =>
  stripControlChars(s ?? "")
    .trim()
    .slice(0, max);

export class ChangeService {
  constructor(
    private readonly store: ReleaseStore,
    private readonly history: HistoryPort,
    private readonly link: BackendLink,
    private readonly log: Logger,
    /** every stored action, for the live push to reviewers and authors */
    readonly events = new ChangeEvents(),
  ) {}

  /** Re-reads the change and announces `action` (best effort: the action is stored already). */
  async announce(id: string, action: string): Promise<void> {
    try {
      const change = await this.store.getChange(id);
      if (change) this.events.emit(change, action);
    } catch (err) {
      this.log.warn(`change ${id}: ${action} not announced: ${(err as Error).message}`);
    }
  }

  /** The change, or NOT_FOUND; the caller must be allowed `action` on every key of it. */
  async load(caller: Caller, id: string, action: "read" | "propose" | "approve" | "publish"): Promise<ChangeRecord> {
    const change = await this.store.getChange(id);
    if (!change) throw new ConfigError("NOT_FOUND", `No change ${id}`, { id });
    for (const i of change.items) authorize(caller.principal, action, i.path);
    return change;
  }

  async required(change: Pick<ChangeRecord, "items">): Promise<number> {
    return requirementFor(
      await this.store.policies(),
      change.items.map((i) => i.path),
    ).approvalsRequired;
  }

  async approvals(change: ChangeRecord): Promise<ApprovalState> {
    return approvalState(change, await this.store.reviews(change.id), await this.required(change));
  }

  private audit(caller: Caller, action: string, change: ChangeRecord, detail?: string): Promise<void> {
    const what = `change ${change.id} "${change.title}"${detail ? `: ${detail}` : ""}`;
    return auditAction(this.history, caller, action, change.items[0]?.path, what, this.log);
  }

  private ownOnly(caller: Caller, change: ChangeRecord, what: string): void {
    if (change.author !== caller.actor.author)
      throw new ConfigError("FORBIDDEN", `Only the author (${change.author}) may ${what} change ${change.id}`, {
        action: what,
      });
  }

  private moveRefused(change: ChangeRecord, what: string): never {
    throw new ConfigError("CONFLICT", `Change ${change.id} is ${change.status}: it cannot be ${what}`, {
      conflicts: [],
      changeId: change.id,
    });
  }

  async create(
    caller: Caller,
    input: { title: string; message?: string; items: ProposedItem[] },
  ): Promise<ChangeRecord> {
    for (const i of input.items) authorize(caller.principal, "propose", i.path);
    const title = clean(input.title, 200);
    if (!title) throw new ConfigError("INVALID_INPUT", "A change needs a title", { issues: [] });
    const items = await buildItems(this.link, input.items);
    const change = await this.store.createChange({
      title,
      message: clean(input.message, 10_000),
      author: caller.actor.author,
      status: "draft",
      items,
    });
    await this.audit(caller, "change.create", change, `${items.length} key(s)`);
    this.events.emit(change, "create");
    return change;
  }

  /**
   * Replaces the items. Changing what would be published starts a new revision: earlier
   * approvals no longer count and a change under review or approved goes back to review. A rebase
   * that keeps the approved content (a conflicted change moved onto the live versions) keeps them.
   */
  async edit(caller: Caller, id: string, items: ProposedItem[]): Promise<ChangeRecord> {
    const change = await this.load(caller, id, "propose");
    for (const i of items) authorize(caller.principal, "propose", i.path);
    this.ownOnly(caller, change, "edit");
    if (!EDITABLE.includes(change.status)) this.moveRefused(change, "edited");
    const next = await buildItems(this.link, items, change.items);
    const bump = contentChanged(change.items, next);
    let status = change.status;
    if (status !== "draft") {
      const required = await this.required({ items: next });
      const reviews = await this.store.reviews(id);
      const state = approvalState({ ...change, revision: change.revision + (bump ? 1 : 0) }, reviews, required);
      status = state.met ? "approved" : "in_review";
    }
    if (!(await this.store.replaceItems(id, next, { bump, status, from: [change.status] })))
      throw new ConfigError("CONFLICT", `Change ${id} changed meanwhile (e.g. it is being published): reload it`, {
        conflicts: [],
        changeId: id,
      });
    const updated = await this.load(caller, id, "read");
    await this.audit(caller, "change.edit", updated, bump ? `revision ${updated.revision}` : "rebased");
    this.events.emit(updated, "edit");
    return updated;
  }

  async submit(caller: Caller, id: string): Promise<ChangeRecord> {
    const change = await this.load(caller, id, "propose");
    this.ownOnly(caller, change, "submit");
    validateItems(change.items, this.link.maxDataBytes);
    const state = await this.approvals(change);
    const to = state.met ? "approved" : "in_review";
    if (!(await this.store.transition(id, { from: ["draft"], to }))) this.moveRefused(change, "submitted");
    await this.audit(caller, "change.submit", change, to === "approved" ? "no approval required" : undefined);
    const submitted = await this.load(caller, id, "read");
    this.events.emit(submitted, "submit");
    return submitted;
  }

  async review(
    caller: Caller,
    id: string,
    input: { verdict: "approve" | "request_changes"; comment?: string },
  ): Promise<ChangeView> {
    const change = await this.load(caller, id, "approve");
    if (change.author === caller.actor.author)
      throw new ConfigError("FORBIDDEN", `${change.author} may not review their own change ${id}`, {
        action: "approve",
        reason: "own-change",
      });
    if (!REVIEWABLE.includes(change.status)) this.moveRefused(change, "reviewed");
    await this.store.addReview({
      changeId: id,
      reviewer: caller.actor.author,
      verdict: input.verdict,
      revision: change.revision,
      comment: clean(input.comment, 10_000),
    });
    const state = await this.approvals(change);
    const to = state.met ? "approved" : "in_review";
    // leaving "approved" drops a pending schedule: it was set for the approved content and must
    // not fire later on a re-approval nobody scheduled
    const unschedule = to !== "approved" && change.status === "approved" && change.scheduledAt !== null;
    const set = unschedule ? { scheduledAt: null, scheduledBy: null } : undefined;
    // conditional on the revision being reviewed still being the one in review
    if (to !== change.status) await this.store.transition(id, { from: [change.status], to, ...(set ? { set } : {}) });
    await this.audit(
      caller,
      input.verdict === "approve" ? "change.approve" : "change.request_changes",
      change,
      `revision ${change.revision}, ${state.approvers.length}/${state.required} approval(s)`,
    );
    if (unschedule)
      await this.audit(
        caller,
        "change.unschedule",
        change,
        `scheduled publish cancelled: changes requested by ${caller.actor.author}`,
      );
    const view = await this.view(caller, id);
    this.events.emit(view.change, input.verdict === "approve" ? "approve" : "request_changes");
    return view;
  }

  async withdraw(caller: Caller, id: string): Promise<ChangeRecord> {
    const change = await this.load(caller, id, "propose");
    this.ownOnly(caller, change, "withdraw");
    // a withdrawn change never fires: its schedule goes with it, so no row says it is still due
    const unschedule = change.scheduledAt !== null;
    const set = unschedule ? { scheduledAt: null, scheduledBy: null } : undefined;
    if (!(await this.store.transition(id, { from: EDITABLE, to: "withdrawn", ...(set ? { set } : {}) })))
      this.moveRefused(change, "withdrawn");
    await this.audit(caller, "change.withdraw", change);
    if (unschedule)
      await this.audit(caller, "change.unschedule", change, "scheduled publish cancelled: change withdrawn");
    const withdrawn = await this.load(caller, id, "read");
    this.events.emit(withdrawn, "withdraw");
    return withdrawn;
  }

  async comment(caller: Caller, id: string, body: string): Promise<CommentRecord> {
    const change = await this.load(caller, id, "read");
    const text = clean(body, 10_000);
    if (!text) throw new ConfigError("INVALID_INPUT", "A comment needs text", { issues: [] });
    const c = await this.store.addComment({ changeId: id, author: caller.actor.author, body: text });
    await this.audit(caller, "change.comment", change);
    this.events.emit(change, "comment");
    return c;
  }

  async view(caller: Caller, id: string): Promise<ChangeView> {
    const change = await this.load(caller, id, "read");
    const [reviews, comments, required] = await Promise.all([
      this.store.reviews(id),
      this.store.comments(id),
      this.required(change),
    ]);
    const live = await Promise.all(
      change.items.map(async (i) => {
        const now = await readLive(this.link, i.path);
        const version = now?.version ?? -1;
        return {
          path: i.path,
          version,
          mzxid: now?.mzxid ?? "0",
          content: now?.content ?? null,
          moved: version !== i.baseVersion,
        };
      }),
    );
    return { change, reviews, comments, approvals: approvalState(change, reviews, required), live };
  }

  /** Changes the caller may read every key of; `reviewable` keeps those they may approve and did not write. */
  async list(
    caller: Caller,
    q: { statuses?: ChangeStatus[]; author?: string; reviewable?: boolean } = {},
  ): Promise<ChangeRecord[]> {
    const all = await this.store.listChanges({ statuses: q.statuses, author: q.author });
    const p = caller.principal;
    return all.filter(
      (c) =>
        c.items.every((i) => can(p, "read", i.path)) &&
        (!q.reviewable ||
          (c.author !== caller.actor.author &&
            c.status === "in_review" &&
            c.items.every((i) => can(p, "approve", i.path)))),
    );
  }

  /** Open changes touching `paths` (several people may draft the same keys; the console shows it). */
  openOn(caller: Caller, paths: string[]): Promise<ChangeRecord[]> {
    for (const path of paths) authorize(caller.principal, "read", path);
    return this.store.openChangesOn(paths);
  }
}
