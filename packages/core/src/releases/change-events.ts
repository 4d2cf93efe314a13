/**
 * Change request activity: the change service, the publisher, the scheduler and the reconcile
 * announce every action here once it is stored, and the socket.io gateway pushes it to the
 * author and to the users who may approve the change (the console's review count and a
 * change's page), instead of every console polling for it. An announced action is routed
 * through the backend (change-signal.ts) so that every server sharing it, this one included,
 * delivers it to its own listeners once; without a route it is delivered here directly.
 */
import type { ChangeRecord } from "@conifer/history";
import type { ChangeActivity } from "@conifer/protocol";

export interface ChangeEvent {
  activity: ChangeActivity;
  /** every key of the change: the gateway decides from them who may hear of it */
  paths: string[];
}

export type ChangeListener = (e: ChangeEvent) => void;

export function changeEventOf(change: ChangeRecord, action: string, at?: { status: string; revision: number }) {
  const e: ChangeEvent = {
    activity: {
      id: change.id,
      status: at?.status ?? change.status,
      author: change.author,
      revision: at?.revision ?? change.revision,
      action,
    },
    paths: change.items.map((i) => i.path),
  };
  return e;
}

export class ChangeEvents {
  private readonly listeners = new Set<ChangeListener>();
  private route: ChangeListener = (e) => this.deliver(e);

  listen(l: ChangeListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Where announced actions go instead of straight to the listeners (the cross-server signal). */
  routeThrough(route: ChangeListener): void {
    this.route = route;
  }

  /** Announces a stored action (it reaches the listeners of every server through the route). */
  emit(change: ChangeRecord, action: string): void {
    this.route(changeEventOf(change, action));
  }

  /** Hands an event to this process's listeners (the route's receiving end). */
  deliver(e: ChangeEvent): void {
    for (const l of this.listeners) {
      // a listener's failure must not fail the action that is already stored
      try {
        l(e);
      } catch {
        /* the gateway logs its own errors */
      }
    }
  }
}
