/**
 * React hooks over the live link: subscribe to tree events for a path, read the link state.
 * Query invalidation on events lives in the Providers (once per tab), not in each view.
 */
"use client";
import type { TreeEvent } from "@conifer/protocol";
import { useEffect, useRef, useSyncExternalStore } from "react";
import { liveLink, type LinkState } from "./socket.ts";

export function useTreeEvents(handler: (e: TreeEvent) => void): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => liveLink().onTree((e) => ref.current(e)), []);
}

const connecting: LinkState = { status: "connecting" };

export function useLinkState(): LinkState {
  return useSyncExternalStore(
    (cb) => liveLink().onState(cb),
    () => liveLink().state,
    () => connecting,
  );
}
