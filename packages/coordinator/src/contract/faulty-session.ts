/**
 * A fault-injecting Session wrapper for tests: it passes every call to a real session, except
 * the calls a test has planned a fault for. The three faults a ZooKeeper client really sees:
 *   - "fail": the call never reaches the backend and rejects (default CONNECTION_LOSS);
 *   - "lose-answer": the call reaches the backend and is applied, then the answer is lost, so
 *     the caller gets CONNECTION_LOSS for a write that did happen (the unknown outcome);
 *   - "delay": the call waits for something the test controls (a promise, an action such as a
 *     competing write, or a number of ms) before it is passed on.
 * Faults are picked by operation and by the Nth matching call, so code paths that otherwise
 * need a 3-node ensemble losing its leader at the right moment run in milliseconds.
 */
import type { Backend, Session, SessionOptions, StateListener } from "../coordinator.ts";
import { CoordinatorError } from "../errors.ts";
import type { SessionState } from "../types.ts";

/** the Session calls a fault can be planned for */
export type SessionCall =
  | "create"
  | "delete"
  | "exists"
  | "getData"
  | "setData"
  | "getChildren"
  | "getACL"
  | "setACL"
  | "multi"
  | "sync"
  | "addWatch"
  | "removeWatches"
  | "getEphemerals"
  | "getAllChildrenNumber"
  | "addAuth";

export type Fault =
  | { kind: "fail"; error?: Error }
  | { kind: "lose-answer"; error?: Error }
  /** waits for the promise, runs the action or sleeps the ms, then passes the call on */
  | { kind: "delay"; until: Promise<unknown> | (() => Promise<unknown>) | number };

export interface FaultPlan {
  call: SessionCall;
  /** the Nth call of `call` made after the plan (1-based); default 1 */
  nth?: number;
  fault: Fault;
}

/** what `inject` returns: `hit` resolves once the planned call was made (and the fault applied) */
export interface PlannedFault {
  readonly hit: Promise<void>;
}

interface Pending {
  plan: FaultPlan;
  remaining: number;
  hit: () => void;
}

const lost = (call: string) =>
  new CoordinatorError("CONNECTION_LOSS", `fault injected: the answer to ${call} was lost with the connection`);

export class FaultySession implements Session {
  private pending: Pending[] = [];
  /** calls made through this wrapper, per operation (faulted ones included) */
  readonly calls = new Map<SessionCall, number>();

  constructor(readonly inner: Session) {}

  /** plans one fault; several may be pending at once (each fires once) */
  inject(plan: FaultPlan): PlannedFault {
    let hit!: () => void;
    const promise = new Promise<void>((r) => (hit = r));
    this.pending.push({ plan, remaining: plan.nth ?? 1, hit });
    return { hit: promise };
  }

  /** drops every fault not yet fired */
  clear(): void {
    this.pending = [];
  }

  private async run<R>(call: SessionCall, go: () => Promise<R>): Promise<R> {
    this.calls.set(call, (this.calls.get(call) ?? 0) + 1);
    // every plan for this call counts it; one fires per call (a tie fires at the next call)
    for (const p of this.pending) if (p.plan.call === call) p.remaining--;
    const due = this.pending.find((p) => p.plan.call === call && p.remaining <= 0);
    if (!due) return go();
    this.pending = this.pending.filter((p) => p !== due);
    const { fault } = due.plan;
    due.hit();
    switch (fault.kind) {
      case "fail":
        throw (
          fault.error ?? new CoordinatorError("CONNECTION_LOSS", `fault injected: ${call} failed before it was sent`)
        );
      case "lose-answer":
        await go().catch(() => undefined);
        throw fault.error ?? lost(call);
      case "delay": {
        const { until } = fault;
        if (typeof until === "number") await new Promise((r) => setTimeout(r, until));
        else await (typeof until === "function" ? until() : until);
        return go();
      }
    }
  }

  // ---- Session ----

  get sessionId(): bigint {
    return this.inner.sessionId;
  }
  get timeoutMs(): number {
    return this.inner.timeoutMs;
  }
  get state(): SessionState {
    return this.inner.state;
  }

  // signatures follow the Session interface, so the wrapper changes with it
  create(...args: Parameters<Session["create"]>): ReturnType<Session["create"]> {
    return this.run("create", () => this.inner.create(...args));
  }
  delete(...args: Parameters<Session["delete"]>): ReturnType<Session["delete"]> {
    return this.run("delete", () => this.inner.delete(...args));
  }
  exists(...args: Parameters<Session["exists"]>): ReturnType<Session["exists"]> {
    return this.run("exists", () => this.inner.exists(...args));
  }
  getData(...args: Parameters<Session["getData"]>): ReturnType<Session["getData"]> {
    return this.run("getData", () => this.inner.getData(...args));
  }
  setData(...args: Parameters<Session["setData"]>): ReturnType<Session["setData"]> {
    return this.run("setData", () => this.inner.setData(...args));
  }
  getChildren(...args: Parameters<Session["getChildren"]>): ReturnType<Session["getChildren"]> {
    return this.run("getChildren", () => this.inner.getChildren(...args));
  }
  getACL(...args: Parameters<Session["getACL"]>): ReturnType<Session["getACL"]> {
    return this.run("getACL", () => this.inner.getACL(...args));
  }
  setACL(...args: Parameters<Session["setACL"]>): ReturnType<Session["setACL"]> {
    return this.run("setACL", () => this.inner.setACL(...args));
  }
  multi(...args: Parameters<Session["multi"]>): ReturnType<Session["multi"]> {
    return this.run("multi", () => this.inner.multi(...args));
  }
  sync(...args: Parameters<Session["sync"]>): ReturnType<Session["sync"]> {
    return this.run("sync", () => this.inner.sync(...args));
  }
  addWatch(...args: Parameters<Session["addWatch"]>): ReturnType<Session["addWatch"]> {
    return this.run("addWatch", () => this.inner.addWatch(...args));
  }
  removeWatches(...args: Parameters<Session["removeWatches"]>): ReturnType<Session["removeWatches"]> {
    return this.run("removeWatches", () => this.inner.removeWatches(...args));
  }
  getEphemerals(...args: Parameters<Session["getEphemerals"]>): ReturnType<Session["getEphemerals"]> {
    return this.run("getEphemerals", () => this.inner.getEphemerals(...args));
  }
  getAllChildrenNumber(
    ...args: Parameters<Session["getAllChildrenNumber"]>
  ): ReturnType<Session["getAllChildrenNumber"]> {
    return this.run("getAllChildrenNumber", () => this.inner.getAllChildrenNumber(...args));
  }
  addAuth(...args: Parameters<Session["addAuth"]>): ReturnType<Session["addAuth"]> {
    return this.run("addAuth", () => this.inner.addAuth(...args));
  }
  onStateChange(listener: StateListener): () => void {
    return this.inner.onStateChange(listener);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * A Backend whose sessions are FaultySessions over the real backend's: hand it to the code
 * under test, then plan faults on `sessions[i]` (or `last()`, the most recent one).
 */
export class FaultyBackend implements Backend {
  readonly sessions: FaultySession[] = [];

  constructor(readonly inner: Backend) {}

  get kind(): Backend["kind"] {
    return this.inner.kind;
  }
  get maxDataBytes(): number {
    return this.inner.maxDataBytes;
  }

  /** the session opened last; throws when none was opened yet */
  last(): FaultySession {
    const s = this.sessions.at(-1);
    if (!s) throw new Error("no session was opened through this FaultyBackend yet");
    return s;
  }

  async connect(options?: SessionOptions): Promise<Session> {
    const s = new FaultySession(await this.inner.connect(options));
    this.sessions.push(s);
    return s;
  }
  info(): ReturnType<Backend["info"]> {
    return this.inner.info();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
