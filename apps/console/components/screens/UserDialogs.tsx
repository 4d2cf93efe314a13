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

interface DialogProps {
  pending: boolean;
  /** `password` only for "reset" */
  onConfirm: (password: string) => Promise<void>;
  onClose: () => void;
}

export function UserDialogView({ dialog, pending, onConfirm, onClose }: DialogProps & { dialog: UserDialog }) {
  if (dialog.kind === "reset")
    return <ResetPasswordDialog username={dialog.user.username} {...{ pending, onConfirm, onClose }} />;
  const { title, label, pendingLabel, refusal, testId } = WORDS[dialog.kind];
  const username = dialog.kind === "delete" ? dialog.user.username : "";
  return (
    <ConfirmDialog
      title={title(username)}
      confirm={{ label: label(username), pendingLabel, pending, tone: "danger", testId }}
      refusal={refusal}
      onConfirm={() => onConfirm("")}
      onClose={onClose}
    >
      {dialog.kind === "demote" ? (
        <p>
          You are about to {dialog.change}. You will no longer manage users, roles, API tokens or read the audit log,
          and only another admin can give it back.
        </p>
      ) : (
        <p>
          {username} can no longer sign in, and their sessions end now. What they published stays in the history under
          their name. To keep the account for later, disable it instead.
        </p>
      )}
    </ConfirmDialog>
  );
}

/** The words of the two confirmations (`who` is the user to delete). */
const WORDS = {
  demote: {
    title: () => "Remove your own admin role?",
    label: () => "Yes, remove my admin role",
    pendingLabel: "Removing…",
    refusal: "Not changed: ",
    testId: "confirm-self-demotion",
  },
  delete: {
    title: (who: string) => `Delete ${who}?`,
    label: (who: string) => `Delete ${who}`,
    pendingLabel: "Deleting…",
    refusal: "Not deleted: ",
    testId: "confirm-delete-user",
  },
} as const;

function ResetPasswordDialog({ username, pending, onConfirm, onClose }: DialogProps & { username: string }) {
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
