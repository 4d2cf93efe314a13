/**
 * Tells the server (instance registry) what this client has applied: per path the newest
 * version, plus the zxid of the newest release (multi-path change) applied completely.
 *
 * Reports wait 0.5–1.5 s (random per client) and only the newest version of a path is sent.
 * Why: right after a publish every subscriber fetches at the same moment; a second message
 * from each of them in that same moment (10,000 of them in the fan-out benchmark) competed with
 * the fetches and delayed the slowest subscribers. The console learns what each instance runs
 * a second later instead, and a burst of publishes costs one report per path.
 */
import type { Link } from "./link.ts";

const REPORT_DELAY_MS = 500;
const REPORT_JITTER_MS = 1000;

export class AppliedReporter {
  /** applied versions not yet reported to the server (newest per path) */
  private readonly unreported = new Map<string, { version: number; mzxid: string }>();
  private timer: NodeJS.Timeout | undefined;
  private release: string | undefined;

  constructor(private readonly link: Link) {}

  announce(path: string, applied: { version: number; mzxid: string }): void {
    if (!this.link.ready) return; // re-announced after the next handshake
    this.unreported.set(path, { version: applied.version, mzxid: applied.mzxid });
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.report(), REPORT_DELAY_MS + Math.random() * REPORT_JITTER_MS);
      this.timer.unref();
    }
  }

  /** the newest release applied; sent with the next reports */
  released(zxid: string): void {
    this.release = zxid;
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private report(): void {
    this.timer = undefined;
    const release = this.release !== undefined ? { release: this.release } : {};
    // disconnected meanwhile: the next handshake's onReady re-announces what is current
    if (this.link.ready)
      for (const [path, a] of this.unreported) this.link.socket.emit("applied", { path, ...a, ...release });
    this.unreported.clear();
  }
}
