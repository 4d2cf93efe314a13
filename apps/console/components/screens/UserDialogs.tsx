/**
 * Dialogs of the Users screen: confirming that you remove your own admin role (you lose the
 * Users, tokens and audit screens at once; the server still refuses it for the last admin),
 * setting a new password for a user who lost theirs (they must change it at the next sign-in),
 * and confirming that a user is deleted. The screen runs the requests: their errors also show
 * on the page, as the other changes of the screen do.
 */
"use client";
import { useState } from "react";
import { ConfirmDialog } from "../ConfirmDialog.tsx";
import { FormDialog } from "../FormDialog.tsx";
import { TextInput } from "../FormFields.tsx";
import type { RoleChange } from "./roles.ts";

export interface UserRef {
  id: number;
  username: string;
}

/** The dialog the Users screen has open. */
export type UserDialog =
  /** `change` is e.g. "remove your admin role on /"; `after` runs once it is done */
  | { kind: "demote"; change: string; input: RoleChange; after?: () => void }
  | { kind: "reset"; user: UserRef }
  | { kind: "delete"; user: UserRef };

export function UserDialogView({
  dialog,
  pending,
  onConfirm,
  onClose,
}: {
  dialog: UserDialog;
  pending: boolean;
  /** `password` only for "reset" */
  onConfirm: (password: string) => Promise<void>;
  onClose: () => void;
}) {
  if (dialog.kind === "reset")
    return <ResetPasswordDialog username={dialog.user.username} {...{ pending, onConfirm, onClose }} />;
  if (dialog.kind === "demote")
    return (
      <ConfirmDialog
        title="Remove your own admin role?"
        confirm={{
          label: "Yes, remove my admin role",
          pendingLabel: "Removing…",
          pending,
          tone: "danger",
          testId: "confirm-self-demotion",
        }}
        refusal="Not changed: "
        onConfirm={() => onConfirm("")}
        onClose={onClose}
      >
        <p>
          You are about to {dialog.change}. You will no longer manage users, roles, API tokens or read the audit log,
          and only another admin can give it back.
        </p>
      </ConfirmDialog>
    );
  const { username } = dialog.user;
  return (
    <ConfirmDialog
      title={`Delete ${username}?`}
      confirm={{
        label: `Delete ${username}`,
        pendingLabel: "Deleting…",
        pending,
        tone: "danger",
        testId: "confirm-delete-user",
      }}
      refusal="Not deleted: "
      onConfirm={() => onConfirm("")}
      onClose={onClose}
    >
      <p>
        {username} can no longer sign in, and their sessions end now. What they published stays in the history under
        their name. To keep the account for later, disable it instead.
      </p>
    </ConfirmDialog>
  );
}

function ResetPasswordDialog({
  username,
  pending,
  onConfirm,
  onClose,
}: {
  username: string;
  pending: boolean;
  onConfirm: (password: string) => Promise<void>;
  onClose: () => void;
}) {
  const [password, setPassword] = useState("");
  const short = password.length < 8;
  return (
    <FormDialog
      title={`Reset the password of ${username}`}
      onClose={onClose}
      onSubmit={() => onConfirm(password)}
      errorPrefix="Not reset: "
      submit={{
        label: "Reset password",
        pendingLabel: "Resetting…",
        pending,
        disabled: short,
        title: short ? "Passwords are at least 8 characters" : undefined,
        testId: "reset-password-submit",
      }}
    >
      <label className="field">
        <span>New password (8+ characters)</span>
        <TextInput
          type="password"
          label={`New password for ${username}`}
          autoFocus
          value={password}
          onValue={setPassword}
        />
      </label>
      <p className="muted">
        Tell it to {username} in person or over a trusted channel: they must choose their own at the next sign-in, and
        their current sessions end now.
      </p>
    </FormDialog>
  );
}
