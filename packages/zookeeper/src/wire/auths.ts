/**
 * A session's auth packets (§4.3 of the protocol reference): the credentials it was given,
 * sent again on every attach before anything else, as the Java client does. A member answers
 * an auth packet out of band (xid -4), in order; `PendingRequests` matches those answers.
 */
import { CoordinatorError } from "@conifer/coordinator";
import { JuteWriter } from "./jute.ts";
import type { PendingRequests } from "./pending.ts";
import { OpCode, Xid } from "./records.ts";

export interface Credential {
  scheme: string;
  auth: string;
}

export class SessionAuths {
  private list: Credential[] = [];

  constructor(
    private readonly pending: PendingRequests,
    private readonly write: (frame: Buffer) => void,
  ) {}

  reset(initial: Credential[]): void {
    this.list = [...initial];
  }

  /** remembered and sent on (re)connect, like the Java client */
  remember(c: Credential): void {
    this.list.push(c);
  }

  /** sends one now; it is remembered once the member accepted it */
  send(c: Credential): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.authSent({
        resolve: () => {
          this.list.push(c);
          resolve();
        },
        reject,
      });
      this.writeAuth(c);
    });
  }

  /**
   * Sends every remembered credential on a fresh attach; true when there were none (nothing
   * to wait for). Else `accepted` runs once all were, `refused` with the scheme of one refused
   * with AUTH_FAILED. A connection lost meanwhile is neither: all are sent again on the next
   * attach.
   */
  sendAll(accepted: () => void, refused: (scheme: string) => void): boolean {
    let unanswered = this.list.length;
    for (const c of this.list) {
      this.pending.authSent({
        resolve: () => {
          if (--unanswered === 0) accepted();
        },
        reject: (err) => {
          if (CoordinatorError.is(err, "AUTH_FAILED")) refused(c.scheme);
        },
      });
      this.writeAuth(c);
    }
    return unanswered === 0;
  }

  private writeAuth(c: Credential): void {
    this.write(
      new JuteWriter()
        .int(Xid.auth)
        .int(OpCode.auth)
        .int(0)
        .ustring(c.scheme)
        .buffer(Buffer.from(c.auth, "utf8"))
        .frame(),
    );
  }
}
