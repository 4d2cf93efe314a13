/** The signed-in user in the top bar: change password, sign out. */
"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../lib/errors.ts";
import { useMe } from "../lib/me.ts";
import { useTRPC } from "../lib/trpc.ts";
import { Modal } from "./Modal.tsx";
import "./UserMenu.css";

export function UserMenu() {
  const trpc = useTRPC();
  const me = useMe();
  const logout = useMutation(trpc.auth.logout.mutationOptions());
  const change = useMutation(trpc.auth.changePassword.mutationOptions());
  const [open, setOpen] = useState(false);
  const [pw, setPw] = useState({ current: "", next: "" });
  const name = me.data?.name ?? "";
  return (
    <>
      <button
        type="button"
        className="author-btn"
        data-testid="user-menu"
        onClick={() => setOpen(true)}
        title="Your account"
      >
        <span className="avatar" aria-hidden="true">
          {(name || "?").slice(0, 1).toUpperCase()}
        </span>
        <span className="author-name">{name || "…"}</span>
      </button>
      {open && (
        <Modal title={`Signed in as ${name}`} onClose={() => setOpen(false)}>
          {me.data?.mustChangePassword && (
            <p className="refused">Please change the one-time password you signed in with.</p>
          )}
          <form
            onSubmit={(e) => {
              e.preventDefault();
              change.mutate(pw, { onSuccess: () => setPw({ current: "", next: "" }) });
            }}
          >
            <input
              className="input"
              type="password"
              aria-label="Current password"
              placeholder="Current password"
              value={pw.current}
              onChange={(e) => setPw({ ...pw, current: e.target.value })}
            />
            <input
              className="input"
              type="password"
              aria-label="New password"
              placeholder="New password (8+ characters)"
              value={pw.next}
              onChange={(e) => setPw({ ...pw, next: e.target.value })}
            />
            {change.isError && (
              <p className="refused" role="alert">
                {errorMessage(change.error)}
              </p>
            )}
            {change.isSuccess && <p className="muted">Password changed; your other sessions were signed out.</p>}
            <div className="modal-actions">
              <button type="submit" className="btn" disabled={!pw.current || !pw.next || change.isPending}>
                Change password
              </button>
              <button
                type="button"
                className="btn btn-danger-ghost"
                onClick={() => logout.mutate(undefined, { onSettled: () => window.location.assign("/login") })}
              >
                Sign out
              </button>
            </div>
          </form>
        </Modal>
      )}
    </>
  );
}
