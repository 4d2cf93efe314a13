/**
 * A dialog that asks for confirmation and submits (create a node, delete, roll back): a Modal
 * around a form, the server's refusal in a banner above Cancel and the submit button. The
 * submit handler throws to refuse; the dialog shows the error's readable message and stays open
 * so nothing typed is lost.
 */
"use client";
import { useState, type ReactNode } from "react";
import { errorMessage } from "../lib/errors.ts";
import { Form } from "./FormFields.tsx";
import { Modal } from "./Modal.tsx";
import { SubmitButton, type SubmitSpec } from "./SubmitButton.tsx";

export function FormDialog({
  title,
  onClose,
  onSubmit,
  submit,
  errorPrefix = "",
  wide,
  children,
}: {
  title: string;
  onClose: () => void;
  onSubmit: () => Promise<void>;
  submit: SubmitSpec;
  /** words in front of the server's message, e.g. "Not rolled back: " */
  errorPrefix?: string;
  wide?: boolean;
  children: ReactNode;
}) {
  const [error, setError] = useState<string | null>(null);
  async function run() {
    setError(null);
    try {
      await onSubmit();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  return (
    <Modal title={title} onClose={onClose} wide={wide}>
      <Form className="form" onSubmit={() => void run()}>
        {children}
        {error && (
          <div className="banner banner-bad" role="alert">
            {errorPrefix}
            {error}
          </div>
        )}
        <div className="modal-actions">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            Cancel
          </button>
          <SubmitButton {...submit} />
        </div>
      </Form>
    </Modal>
  );
}

/** The "why" of a change, recorded in history and the audit log. */
export function MessageField({
  value,
  onChange,
  label,
  placeholder,
}: {
  value: string;
  onChange: (v: string) => void;
  label: string;
  placeholder?: string;
}) {
  return (
    <label className="field">
      <span>Message</span>
      <input
        className="input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        aria-label={label}
      />
    </label>
  );
}
