/**
 * The display name sent as `x-conifer-author` with every write. Until accounts exist (security
 * issue) the user picks it; it lives in localStorage so it survives reloads.
 */
"use client";
import { useSyncExternalStore } from "react";

const KEY = "conifer.author";
const listeners = new Set<() => void>();

export function getAuthor(): string {
  if (typeof window === "undefined") return "";
  try {
    return window.localStorage.getItem(KEY) ?? "";
  } catch {
    return "";
  }
}

export function setAuthor(name: string): void {
  try {
    const trimmed = name.trim().slice(0, 100);
    if (trimmed) window.localStorage.setItem(KEY, trimmed);
    else window.localStorage.removeItem(KEY);
  } catch {
    // storage may be disabled (private mode): the name then lasts for this page only
  }
  for (const l of listeners) l();
}

function subscribe(cb: () => void): () => void {
  listeners.add(cb);
  const onStorage = (e: StorageEvent) => {
    if (e.key === KEY) cb();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(cb);
    window.removeEventListener("storage", onStorage);
  };
}

export function useAuthor(): string {
  return useSyncExternalStore(subscribe, getAuthor, () => "");
}
