/** Last-resort boundary (the root layout itself failed): plain markup, no app styles needed. */
"use client";

export default function GlobalError({ reset }: { error: Error; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", padding: 32, color: "#1f2328" }}>
        <h1 style={{ fontSize: 20 }}>The Conifer console hit an unexpected error.</h1>
        <p>Your changes on the server are safe. Reload the page to continue.</p>
        <button type="button" onClick={reset} style={{ padding: "6px 14px" }}>
          Reload
        </button>
      </body>
    </html>
  );
}
