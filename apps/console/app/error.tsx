/** Route-level error boundary: a readable message and a retry, never a stack trace. */
"use client";
import { errorMessage } from "../lib/errors.ts";

export default function RouteError({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <div className="page">
      <div className="panel-error" role="alert">
        <strong>This page failed to load.</strong>
        <p>{errorMessage(error)}</p>
        <button type="button" className="btn" onClick={reset}>
          Try again
        </button>
      </div>
    </div>
  );
}
