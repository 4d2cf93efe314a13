/**
 * The cross-server signal of change request activity (issue 14, item 3). Several servers share
 * one backend and one history database, and a reviewer's console may be connected to a server
 * other than the one that handled the action, so an action is not pushed to local sockets
 * directly: the server that stored it creates one ephemeral sequential child of
 * /conifer/change-activity whose NAME says which change, what happened and the status and
 * revision it left (the data would be gone by the time a peer read it: the writer deletes the
 * child at once), and every server, the writer included, hears the creation through its one
 * recursive watch (change-feed.ts), re-reads the change from history for its author and keys
 * and delivers it to its own listeners. One path for local and remote sockets: nobody hears an
 * action twice. Sends and deliveries keep the order of the actions (one queue each; the
 * backend orders the creations).
 * When the backend cannot take the signal the action is delivered to this server's listeners
 * directly (best effort, as before). A create whose answer was lost may have landed all the
 * same, and its event may come before or after the error: each signal of this server carries a
 * nonce whose state says which of the two delivered it, so it is delivered here once either way.
 */
import { randomBytes } from "node:crypto";
import { CoordinatorError, joinPath, type Session } from "@conifer/coordinator";
import type { ReleaseStore } from "@conifer/history";
import type { BackendLink } from "../backend-link.ts";
import type { Logger } from "../logger.ts";
import { CHANGE_SIGNALS_ROOT } from "../paths.ts";
import { changeEventOf, type ChangeEvent, type ChangeEvents } from "./change-events.ts";

/** id.action.status.revision.nonce- then the backend's sequence number */
const NAME = /^([A-Za-z0-9_]+)\.([a-z_]+)\.([a-z_]+)\.(\d+)\.([0-9a-f]+)-(-?\d+)$/;
const WORD = /^[a-z_]+$/;
/** this server's signals not settled yet; bounded, oldest forgotten first */
const MAX_OWN = 1_000;

/**
 * sending: created, no answer nor event yet · sent: answered, the event still to come ·
 * signalled: the event came (and delivered it) before the answer · local: the create failed and
 * the action was delivered directly; an event may still come (the create landed after all)
 */
type OwnState = "sending" | "sent" | "signalled" | "local";

export interface SignalName {
  id: string;
  action: string;
  status: string;
  revision: number;
  nonce: string;
}

/** The child's name for an event, or null when a part could not be read back from it. */
export function signalName(e: ChangeEvent, nonce: string): string | null {
  const { id, action, status, revision } = e.activity;
  if (!/^[A-Za-z0-9_]+$/.test(id) || !WORD.test(action) || !WORD.test(status)) return null;
  return `${id}.${action}.${status}.${String(revision)}.${nonce}-`;
}

export function parseSignal(name: string): SignalName | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const [, id = "", action = "", status = "", revision = "0", nonce = ""] = m;
  return { id, action, status, revision: Number(revision), nonce };
}

export class ChangeSignal {
  private sending: Promise<void> = Promise.resolve();
  private delivering: Promise<void> = Promise.resolve();
  private readonly own = new Map<string, OwnState>();
  private stopped = false;

  constructor(
    private readonly link: BackendLink,
    private readonly store: ReleaseStore,
    private readonly events: ChangeEvents,
    private readonly log: Logger,
  ) {
    events.routeThrough((e) => this.send(e));
  }

  /** Creates /conifer/change-activity if missing (after /conifer exists). */
  async ensureRoot(session: Session = this.link.session): Promise<void> {
    try {
      await session.create(CHANGE_SIGNALS_ROOT, Buffer.alloc(0), { acl: this.link.acl });
    } catch (err) {
      if (!CoordinatorError.is(err, "NODE_EXISTS")) throw err;
    }
  }

  /** Signals every server of `e` (returns at once; the action is stored already). */
  send(e: ChangeEvent): void {
    const nonce = randomBytes(6).toString("hex");
    const name = signalName(e, nonce);
    this.sending = this.sending.then(async () => {
      this.setOwn(nonce, "sending");
      try {
        if (!name) throw new Error(`change ${e.activity.id}: ${e.activity.action} cannot be named in a signal`);
        const session = this.link.session;
        const { path } = await session.create(joinPath(CHANGE_SIGNALS_ROOT, name), Buffer.alloc(0), {
          mode: "EPHEMERAL_SEQUENTIAL",
          acl: this.link.acl,
        });
        if (this.own.get(nonce) === "signalled") this.own.delete(nonce);
        else this.setOwn(nonce, "sent");
        // every watcher has its event once the create is done; the child has served
        await session.delete(path).catch(() => {
          /* ephemeral: it goes with the session */
        });
      } catch (err) {
        if (this.own.get(nonce) === "signalled") {
          this.own.delete(nonce);
          return;
        }
        this.log.warn(`change ${e.activity.id}: ${e.activity.action} told to this server only: ${String(err)}`);
        this.setOwn(nonce, "local");
        this.deliverNow(e);
      }
    });
  }

  /** The feed saw a node created under /conifer: when it is a signal, deliver its activity here. */
  observe(path: string): void {
    if (this.stopped || !path.startsWith(`${CHANGE_SIGNALS_ROOT}/`)) return;
    const signal = parseSignal(path.slice(CHANGE_SIGNALS_ROOT.length + 1));
    if (!signal) return;
    const mine = this.own.get(signal.nonce);
    if (mine === "sending") this.own.set(signal.nonce, "signalled");
    else if (mine !== undefined) this.own.delete(signal.nonce);
    if (mine === "local" || mine === "signalled") return;
    this.delivering = this.delivering.then(async () => {
      if (this.stopped) return;
      try {
        const change = await this.store.getChange(signal.id);
        if (!change) return;
        this.deliverNow(changeEventOf(change, signal.action, signal));
      } catch (err) {
        this.log.warn(`change ${signal.id}: ${signal.action} not delivered: ${String(err)}`);
      }
    });
  }

  stop(): void {
    this.stopped = true;
  }

  private deliverNow(e: ChangeEvent): void {
    if (!this.stopped) this.events.deliver(e);
  }

  private setOwn(nonce: string, state: OwnState): void {
    this.own.set(nonce, state);
    if (this.own.size > MAX_OWN) {
      const oldest = this.own.keys().next().value;
      if (oldest !== undefined) this.own.delete(oldest);
    }
  }
}
