/** The signed-in user in the top bar: change password, sign out. */
"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
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
  const qc = useQueryClient();
  // the title and the note follow auth.me's mustChangePassword, so read it again once it changed
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.auth.me.queryKey() }),
    }),
  );
  const [open, setOpen] = useState(false);
  const { values: pw, setValues: setPw, field } = useForm(NO_PASSWORDS);
  const name = me.data?.name ?? "";
  const mustChange = me.data?.mustChangePassword === true;
  // what the dialog is for: choosing a password after a one-time one, else this account
  const title = mustChange ? "Choose a new password" : name ? `Signed in as ${name}` : "Your account";
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
        <Modal title={title} onClose={() => setOpen(false)}>
          <Form className="form" onSubmit={() => change.mutate(pw, { onSuccess: () => setPw(NO_PASSWORDS) })}>
            {mustChange && (
              <p className="refused">
                Signed in as {name} with a one-time password: please change it to one of your own.
              </p>
            )}
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
