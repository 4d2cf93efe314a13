/**
 * The server's one backend session, kept alive across expiry. Everything in core talks to the
 * backend through `link.session`, so after an expiry (ephemerals and watches gone) a fresh
 * session is opened and the `renewed` listeners re-create what the server owns (its recursive
 * watch, instance ephemerals) and reconcile history before clients are told to resync.
 */
import { OPEN_ACL_UNSAFE, type ACL, type Backend, type Session, type SessionState } from "@conifer/coordinator";
import { backoffCap } from "@conifer/shared";
import type { NodePolicy } from "./node-acl.ts";
import { ConfigError } from "./errors.ts";
import type { Logger } from "./logger.ts";

/** Session renewal retries: 200 ms doubling to 5 s, the same exponential cap the SDK reconnects with. */
const RENEW_BACKOFF = { minDelayMs: 200, maxDelayMs: 5_000 };
export type RenewListener = (session: Session) => Promise<void> | void;
export type HealthListener = (state: { writable: boolean; message?: string }) => void;

export class BackendLink {
  private current: Session | null = null;
  private renewListeners: RenewListener[] = [];
  private healthListeners: HealthListener[] = [];
  private closed = false;
  private renewing: Promise<void> | null = null;
  private unlisten: (() => void) | null = null;
  private reconnectListeners: (() => Promise<void> | void)[] = [];
  private lostConnection = false;
  private lastHealth: { writable: boolean; message?: string } = { writable: true };

  constructor(
    readonly backend: Backend,
    private readonly log: Logger,
    private readonly sessionTimeoutMs = 30_000,
    /** the server's own backend credentials and the ACL every znode it creates carries (node-acl.ts) */
    readonly policy: NodePolicy = { auth: [], acl: OPEN_ACL_UNSAFE },
  ) {}

  /** The ACL for znodes this server creates. */
  get acl(): readonly ACL[] {
    return this.policy.acl;
  }

  get session(): Session {
    if (!this.current) throw new ConfigError("BACKEND_UNAVAILABLE", "Coordination backend session is not open");
    return this.current;
  }

  get maxDataBytes(): number {
    return this.backend.maxDataBytes;
  }

  async open(): Promise<Session> {
    const session = await this.backend.connect({ timeoutMs: this.sessionTimeoutMs, auth: this.policy.auth });
    this.attach(session);
    return session;
  }

  /** Called after a new session replaced an expired one; listeners run in registration order. */
  onRenewed(listener: RenewListener): void {
    this.renewListeners.push(listener);
  }

  onHealth(listener: HealthListener): void {
    this.healthListeners.push(listener);
  }

  /**
   * Called when the SAME session is connected again after a disconnection. Persistent watches
   * come back by themselves, but changes made in between are not reported (protocol §3.5).
   */
  onReconnected(listener: () => Promise<void> | void): void {
    this.reconnectListeners.push(listener);
  }

  /** The last health state announced (for clients that connect later). */
  get health(): { writable: boolean; message?: string } {
    return this.lastHealth;
  }

  private attach(session: Session): void {
    this.unlisten?.();
    this.current = session;
    this.lostConnection = false;
    this.unlisten = session.onStateChange((state) => this.onState(session, state));
  }

  private onState(session: Session, state: SessionState): void {
    if (session !== this.current || this.closed) return;
    if (state === "disconnected") {
      this.lostConnection = true;
      this.emitHealth({ writable: false, message: "Connection to the coordination backend lost; retrying" });
    } else if (state === "connected") {
      this.emitHealth({ writable: true });
      if (this.lostConnection) {
        this.lostConnection = false;
        void (async () => {
          for (const l of this.reconnectListeners) await l();
        })().catch((err: unknown) => this.log.error("after reconnecting to the backend", err));
      }
    } else if (state === "expired") {
      this.emitHealth({ writable: false, message: "Backend session expired; opening a new one" });
      void this.renew();
    }
  }

  /** Opens a new session (retrying until it works or the link closes), then runs the listeners. */
  renew(): Promise<void> {
    if (this.renewing) return this.renewing;
    this.renewing = (async () => {
      let attempt = 0;
      while (!this.closed) {
        try {
          const session = await this.backend.connect({ timeoutMs: this.sessionTimeoutMs, auth: this.policy.auth });
          if (this.isClosed()) {
            await session.close().catch(() => {});
            return;
          }
          this.attach(session);
          for (const listener of this.renewListeners) await listener(session);
          this.emitHealth({ writable: true });
          this.log.info("backend session renewed");
          return;
        } catch (err) {
          this.log.warn(`backend session renewal failed: ${(err as Error).message}`);
          await new Promise((r) => setTimeout(r, backoffCap(attempt++, RENEW_BACKOFF)));
        }
      }
    })().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private emitHealth(state: { writable: boolean; message?: string }): void {
    this.lastHealth = state;
    for (const l of this.healthListeners) l(state);
  }

  // read through a call: close() flips the flag during an await, which narrowing cannot see
  private isClosed(): boolean {
    return this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unlisten?.();
    const s = this.current;
    this.current = null;
    if (s && s.state !== "closed" && s.state !== "expired") await s.close().catch(() => {});
  }
}
