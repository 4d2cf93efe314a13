/**
 * Unsaved edits, one per path, kept for as long as the page lives: opening another node or tab
 * unmounts the editor, and coming back must find the edit where it was left. While any draft is
 * unsaved, leaving or reloading the page asks first (`beforeunload`).
 */
import type { Snapshot } from "./useEditSession.ts";

export interface Draft {
  /** the version the edit started from */
  base: Snapshot;
  text: string;
}

const drafts = new Map<string, Draft>();

export function getDraft(path: string): Draft | undefined {
  return drafts.get(path);
}

/** Keeps `text` as the draft of `path`, or forgets it when it equals its base (nothing unsaved). */
export function keepDraft(path: string, base: Snapshot, text: string): void {
  if (text === base.content) drafts.delete(path);
  else drafts.set(path, { base, text });
}

function warnOnUnload(e: BeforeUnloadEvent): void {
  if (drafts.size === 0) return;
  e.preventDefault();
}

if (typeof window !== "undefined") window.addEventListener("beforeunload", warnOnUnload);
