/** Copies a one-time value (an API token's secret) to the clipboard and says so. */
"use client";
import { useState } from "react";

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <button
      type="button"
      className="btn btn-small"
      data-testid="copy-button"
      onClick={() => {
        navigator.clipboard.writeText(text).then(
          () => setState("copied"),
          // e.g. a page served over plain http from another host: the user still has the text to select
          () => setState("failed"),
        );
      }}
    >
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select the text" : label}
    </button>
  );
}
