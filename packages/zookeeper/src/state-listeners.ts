/**
 * The `onStateChange` listeners of a session. A listener that throws is ignored: listeners
 * must not break the connection state machine that reports to them.
 */
import type { SessionState, StateListener } from "@conifer/coordinator";

export class StateListeners {
  private readonly listeners = new Set<StateListener>();

  add(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(state: SessionState): void {
    for (const l of [...this.listeners]) {
      try {
        l(state);
      } catch {
        // see the module comment
      }
    }
  }
}
