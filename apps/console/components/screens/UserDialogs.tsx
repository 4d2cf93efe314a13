/**
 * Dialogs of the Users screen: confirming that you remove your own admin role (you lose the
 * Users, tokens and audit screens at once; the server still refuses it for the last admin), and
 * setting a new password for a user who lost theirs (they must change it at the next sign-in).
 */
"use client";
import { useState } from "react";
import { FormDialog } from "../FormDialog.tsx";

export function ConfirmSelfDemotionDialog({
  change,
  pending,
  onConfirm,
  onClose,
}: {
  /** e.g. "remove your admin role on /" */
  change: string;
  pending: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  return (
    <FormDialog
      title="Remove your own admin role?"
      onClose={onClose}
      onSubmit={onConfirm}
      errorPrefix="Not changed: "
      submit={{
        label: "Yes, remove my admin role",
        pendingLabel: "Removing…",
        pending,
        tone: "danger",
        testId: "confirm-self-demotion",
      }}
    >
      <p>
        You are about to {change}. You will no longer manage users, roles, API tokens or read the audit log, and only
        another admin can give it back.
      </p>
    </FormDialog>
  );
}

export function ResetPasswordDialog({
  username,
  pending,
  onReset,
  onClose,
}: {
  username: string;
  pending: boolean;
  onReset: (password: string) => Promise<void>;
  onClose: () => void;
}) {
  const [password, setPassword] = useState("");
  return (
    <FormDialog
      title={`Reset the password of ${username}`}
      onClose={onClose}
      onSubmit={() => onReset(password)}
      errorPrefix="Not reset: "
      submit={{
        label: "Reset password",
        pendingLabel: "Resetting…",
        pending,
        disabled: password.length < 8,
        title: password.length < 8 ? "Passwords are at least 8 characters" : undefined,
        testId: "reset-password-submit",
      }}
    >
      <label className="field">
        <span>New password (8+ characters)</span>
        <input
          className="input"
          type="password"
          aria-label={`New password for ${username}`}
          value={password}
          autoFocus
          onChange={(e) => {
            setPassword(e.target.value);
          }}
        />
      </label>
      <p className="muted">
        Tell it to {username} in person or over a trusted channel: they must choose their own at the next sign-in, and
        their current sessions end now.
      </p>
    </FormDialog>
  );
}

export function ConfirmDeleteUserDialog({
  username,
  pending,
  onConfirm,
  onClose,
}: {
  username: string;
  pending: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  return (
    <FormDialog
      title={`Delete ${username}?`}
      onClose={onClose}
      onSubmit={onConfirm}
      errorPrefix="Not deleted: "
      submit={{
        label: `Delete ${username}`,
        pendingLabel: "Deleting…",
        pending,
        tone: "danger",
        testId: "confirm-delete-user",
      }}
    >
      <p>
        {username} can no longer sign in, and their sessions end now. What they published stays in the history under
        their name. To keep the account for later, disable it instead.
      </p>
    </FormDialog>
  );
}
