/**
 * A small accessible dialog: Escape closes, the title names it. Rendered into <body>, not where
 * it is opened: the user menu's dialog sat inside the dark top bar and inherited its white text,
 * so its title was there but invisible.
 */
"use client";
import { useEffect, useId, type ReactNode } from "react";
import { createPortal } from "react-dom";
import "./Modal.css";

export function Modal({
  title,
  onClose,
  children,
  wide,
}: {
  /** never empty: every dialog says what it is for */
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const titleId = useId();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  // dialogs open on a user's action, after hydration; there is no <body> to portal into on the server
  if (typeof document === "undefined") return null;
  return createPortal(
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={wide ? "modal modal-wide" : "modal"} role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <div className="modal-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </div>
        <div className="modal-body">{children}</div>
      </div>
    </div>,
    document.body,
  );
}
