/**
 * A yes/no preference kept in the browser's localStorage (an admin's "Show system nodes"), so
 * it survives a reload and is the same in every tab. Read through useSyncExternalStore: the
 * server render and the first client render say `false`, then the stored value takes over, so
 * hydration never disagrees with the HTML.
 */
"use client";
import { useCallback, useSyncExternalStore } from "react";

/** same-tab writers: the `storage` event only reaches the other tabs */
const listeners = new Set<() => void>();
/** where the values live when localStorage is refused (privacy settings): for as long as the page */
const memory = new Map<string, boolean>();

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  window.addEventListener("storage", onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener("storage", onChange);
  };
}

function read(key: string): boolean {
  try {
    return window.localStorage.getItem(key) === "1";
  } catch {
    return memory.get(key) ?? false;
  }
}

export function useStoredFlag(key: string): [boolean, (value: boolean) => void] {
  const value = useSyncExternalStore(
    subscribe,
    () => read(key),
    () => false,
  );
  const set = useCallback(
    (next: boolean) => {
      memory.set(key, next);
      try {
        if (next) window.localStorage.setItem(key, "1");
        else window.localStorage.removeItem(key);
      } catch {
        // refused: `memory` holds it
      }
      for (const l of listeners) l();
    },
    [key],
  );
  return [value, set];
}
