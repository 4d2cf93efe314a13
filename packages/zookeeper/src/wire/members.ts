/**
 * The order in which a session tries the ensemble's members, and how long it waits between
 * attempts. It starts at a random member (so the clients of one connect string spread over the
 * ensemble) and walks the list round-robin, as the Java client's HostProvider does.
 */
import { Backoff, type BackoffOptions, type HostPort } from "@conifer/shared";

/** pause between two members of the host list: a member that refused is likely down, try the next soon */
const NEXT_HOST_DELAY_MS = 50;
/**
 * Pause after a whole round of the host list failed (full jitter, so clients of a restarting
 * ensemble spread out). Capped at 1 s like the Java client's: the session must re-attach well
 * within its timeout (2 s at the shortest) once a member is back.
 */
const ROUND_BACKOFF: BackoffOptions = { minDelayMs: 300, maxDelayMs: 1_000 };

/** setTimeout's ceiling: a longer delay overflows and fires after 1 ms */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export class MemberRotation {
  private index: number;

  constructor(private readonly hosts: HostPort[]) {
    this.index = Math.floor(Math.random() * hosts.length);
  }

  /** the member to try (or talking to) now */
  get current(): HostPort | undefined {
    return this.hosts[this.index];
  }

  /** moves on to the next member of the list */
  next(): void {
    this.index = (this.index + 1) % this.hosts.length;
  }

  /** how long one attempt may take: an even share of the session timeout, at least 1 s */
  attemptMs(sessionTimeoutMs: number): number {
    return Math.min(MAX_TIMER_MS, Math.max(1000, Math.floor(sessionTimeoutMs / this.hosts.length)));
  }

  /**
   * The pauses of one reconnect loop: `pause()` after each failed attempt is short between two
   * members and backs off (jittered) after a whole round of the list failed.
   */
  pacer(): { pause(): number } {
    let attempts = 0;
    const rounds = new Backoff(ROUND_BACKOFF);
    const size = this.hosts.length;
    return {
      pause: () => {
        attempts++;
        return attempts % size === 0 ? rounds.next() : NEXT_HOST_DELAY_MS;
      },
    };
  }
}

/** the pause of a reconnect loop */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
