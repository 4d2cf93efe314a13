/**
 * A network partition for tests and failover drills: the session's connection is cut and its
 * reconnects are held back until released. Held longer than the session timeout, the ensemble
 * expires the session. Kept off ZooKeeperSession so the product's API is only what it uses.
 */
import type { Session } from "@conifer/coordinator";
import { ZooKeeperSession } from "../session.ts";

/** cuts `session` off the ensemble (`on`) or lets it reconnect again (`!on`) */
export function partition(session: Session, on: boolean): void {
  if (!(session instanceof ZooKeeperSession)) throw new TypeError("not a ZooKeeper session");
  session.client.heldBack = on;
  if (on) session.client.dropConnection();
}
