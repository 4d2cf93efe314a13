/**
 * Who is asking, as the release domain needs it: the principal the one authz module judges, and
 * the actor (name, door, address) written into history and audit rows.
 */
import type { Principal } from "../auth/authz.ts";
import type { Actor } from "../dto.ts";
import type { HistoryPort } from "../history-port.ts";
import type { Logger } from "../logger.ts";

export interface Caller {
  principal: Principal;
  actor: Actor;
}

/** Best effort once the action is done: failing the request now would invite a blind retry. */
export async function auditAction(
  history: HistoryPort,
  caller: Caller,
  action: string,
  path?: string,
  detail?: string,
  log?: Logger,
): Promise<void> {
  const { actor } = caller;
  try {
    await history.audit({ actor: actor.author, action, path, detail, source: actor.source, ip: actor.ip });
  } catch (err) {
    log?.error(`audit row for ${action} ${path ?? ""} not written`, err);
  }
}
