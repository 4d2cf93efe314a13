/**
 * A strip under the top bar while writes cannot succeed: the coordination backend refuses them
 * (read-only: lost connection, no quorum, expired session) or the Conifer server itself is out
 * of reach. The pill in the top bar says the same in one word; this says what it means for the
 * user (keep reading and editing, publishing waits). The live region is always rendered so
 * screen readers announce the strip when it appears.
 */
"use client";
import { useLinkState } from "../lib/live.ts";
import "./BackendBanner.css";

export function BackendBanner() {
  const link = useLinkState();
  let text: string | null = null;
  let tone = "warn";
  if (link.status === "connected" && !link.writable) {
    text = `Publishing is paused: ${link.message ?? "the coordination backend does not accept writes"}. Your edits are kept; publish once it is back.`;
  } else if (link.status === "disconnected") {
    tone = "bad";
    text = `${link.message} Your edits are kept; publish once the server is back.`;
  }
  return (
    <div className="backend-banner-slot" aria-live="polite">
      {text && (
        <div className={`backend-banner backend-banner-${tone}`} role="status" data-testid="backend-banner">
          {text}
        </div>
      )}
    </div>
  );
}
