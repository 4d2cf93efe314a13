/**
 * "Are you sure?" before one action (restore, roll back, delete, remove your own admin role): what
 * will happen (the children), optionally the message recorded with it in history and the audit
 * log, and the action's button. Built on FormDialog, so a refusal shows in the dialog, prefixed
 * with `refusal`, and nothing typed is lost.
 */
"use client";
import { useState, type ReactNode } from "react";
import { FormDialog, MessageField } from "./FormDialog.tsx";
import type { SubmitSpec } from "./SubmitButton.tsx";

export interface MessageSpec {
  /** the field's accessible name, e.g. "Restore message" */
  label: string;
  /** what it holds at first; also what is sent when it is cleared */
  initial?: string;
  placeholder?: string;
}

export function ConfirmDialog({
  title,
  confirm,
  refusal,
  message,
  wide,
  onConfirm,
  onClose,
  children,
}: {
  title: string;
  confirm: SubmitSpec;
  /** words in front of the server's refusal, e.g. "Not restored: " */
  refusal?: string;
  /** ask for a message; onConfirm gets it trimmed ("" when none, unless `initial` stands in) */
  message?: MessageSpec;
  wide?: boolean;
  onConfirm: (message: string) => Promise<void>;
  onClose: () => void;
  children: ReactNode;
}) {
  const initial = message?.initial ?? "";
  const [text, setText] = useState(initial);
  return (
    <FormDialog
      title={title}
      onClose={onClose}
      onSubmit={() => onConfirm(text.trim() || initial)}
      submit={confirm}
      errorPrefix={refusal}
      wide={wide}
    >
      {children}
      {message && (
        <MessageField value={text} onChange={setText} label={message.label} placeholder={message.placeholder} />
      )}
    </FormDialog>
  );
}
