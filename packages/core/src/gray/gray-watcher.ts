/**
 * Keeps this server's GrayView (gray-view.ts) in step with /conifer/gray. The events come from
 * the change feed's one recursive watch (its tree events cover system paths too); each changed
 * child is read again, one read after the other so a late answer never overtakes a newer one.
 * After a session renewal or a reconnect events may have been missed: everything is reloaded.
 * Listeners hear each change, which the gateway turns into notices for the instances whose
 * content it switches.
 */
import { CoordinatorError, parentOf, type Session } from "@conifer/coordinator";
import type { TreeEvent } from "@conifer/protocol";
import type { BackendLink } from "../backend-link.ts";
import type { Logger } from "../logger.ts";
import { GRAY_ROOT } from "../paths.ts";
import { decodeGray, grayPath, type GrayEntry } from "./gray-record.ts";
import type { GrayChange, GrayView } from "./gray-view.ts";

export type GrayListener = (change: GrayChange) => void;

export class GrayWatcher {
  private queue: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<GrayListener>();

  constructor(
    private readonly link: BackendLink,
    private readonly view: GrayView,
    private readonly log: Logger,
  ) {}

  listen(fn: GrayListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** A tree event of the change feed; only /conifer/gray's children matter here. */
  onTree(ev: TreeEvent): void {
    if (ev.type === "NodeChildrenChanged" || parentOf(ev.path) !== GRAY_ROOT) return;
    const id = ev.path.slice(GRAY_ROOT.length + 1);
    void this.enqueue(() => this.refresh(id));
  }

  /** Reads every gray znode again (start, session renewal, reconnect). */
  reload(session: Session = this.link.session): Promise<void> {
    return this.enqueue(async () => {
      let ids: string[] = [];
      try {
        ids = [...(await session.getChildren(GRAY_ROOT)).children];
      } catch (err) {
        if (!CoordinatorError.is(err, "NO_NODE")) throw err;
      }
      const present = new Set(ids);
      for (const e of this.view.list()) if (!present.has(e.record.id)) this.note(e.record.id, null);
      for (const id of ids) await this.refresh(id, session);
    });
  }

  /** Waits until every event received so far is applied (tests). */
  settled(): Promise<void> {
    return this.queue;
  }

  private enqueue(fn: () => Promise<void>): Promise<void> {
    const next = this.queue.then(fn).catch((err: unknown) => this.log.error("gray release refresh failed", err));
    this.queue = next;
    return next;
  }

  private async refresh(id: string, session: Session = this.link.session): Promise<void> {
    let entry: GrayEntry | null = null;
    try {
      const { data, stat } = await session.getData(grayPath(id));
      const record = decodeGray(id, data);
      if (!record) this.log.warn(`${grayPath(id)} is not a gray release record; ignored`);
      entry = record ? { record, mzxid: stat.mzxid } : null;
    } catch (err) {
      if (!CoordinatorError.is(err, "NO_NODE")) throw err;
    }
    this.note(id, entry);
  }

  /** What the backend holds for `id` now (null: removed); this server's own writes note it at once. */
  note(id: string, entry: GrayEntry | null): void {
    const change = this.view.set(id, entry);
    if (change) for (const l of this.listeners) l(change);
  }
}
