/** The signed-in user in the top bar: change password, sign out. */
"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useMe } from "../lib/me.ts";
import { useTRPC } from "../lib/trpc.ts";
import { FormError } from "./ErrorAlert.tsx";
import { Form, TextInput, useForm } from "./FormFields.tsx";
import { Modal } from "./Modal.tsx";
import { SubmitButton } from "./SubmitButton.tsx";
import "./UserMenu.css";

const NO_PASSWORDS = { current: "", next: "" };

export function UserMenu() {
  const trpc = useTRPC();
  const me = useMe();
  const logout = useMutation(trpc.auth.logout.mutationOptions());
  const change = useMutation(trpc.auth.changePassword.mutationOptions());
  const [open, setOpen] = useState(false);
  const { values: pw, setValues: setPw, field } = useForm(NO_PASSWORDS);
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
          <Form onSubmit={() => change.mutate(pw, { onSuccess: () => setPw(NO_PASSWORDS) })}>
            <TextInput type="password" label="Current password" placeholder="Current password" {...field("current")} />
            <TextInput
              type="password"
              label="New password"
              placeholder="New password (8+ characters)"
              {...field("next")}
            />
            <FormError error={change.error} />
            {change.isSuccess && <p className="muted">Password changed; your other sessions were signed out.</p>}
            <div className="modal-actions">
              <SubmitButton
                label="Change password"
                tone="plain"
                pending={change.isPending}
                disabled={!pw.current || !pw.next}
              />
              <button
                type="button"
                className="btn btn-danger-ghost"
                onClick={() => logout.mutate(undefined, { onSettled: () => window.location.assign("/login") })}
              >
                Sign out
              </button>
            </div>
          </Form>
        </Modal>
      )}
    </>
  );
}
