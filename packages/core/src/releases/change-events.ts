/**
 * Change request activity inside this server process: the change service and the publisher
 * announce every action here once it is stored, and the socket.io gateway pushes it to the
 * author and to the users who may approve the change (the console's review count and a
 * change's page), instead of every console polling for it.
 */
import type { ChangeRecord } from "@conifer/history";
import type { ChangeActivity } from "@conifer/protocol";

export interface ChangeEvent {
  activity: ChangeActivity;
  /** every key of the change: the gateway decides from them who may hear of it */
  paths: string[];
}

export type ChangeListener = (e: ChangeEvent) => void;

export class ChangeEvents {
  private readonly listeners = new Set<ChangeListener>();

  listen(l: ChangeListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  emit(change: ChangeRecord, action: string): void {
    const e: ChangeEvent = {
      activity: {
        id: change.id,
        status: change.status,
        author: change.author,
        revision: change.revision,
        action,
      },
      paths: change.items.map((i) => i.path),
    };
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
