/**
 * A one-row form in a card above a list (new user, new API token, publish policy): its inputs
 * and the submit button wrap onto more lines on a narrow screen; submitting never reloads the page.
 */
"use client";
import type { ReactNode } from "react";
import { Form } from "./FormFields.tsx";
import { SubmitButton, type SubmitSpec } from "./SubmitButton.tsx";
import "./InlineForm.css";

export function InlineForm({
  testId,
  label,
  onSubmit,
  submit,
  children,
}: {
  testId: string;
  label: string;
  onSubmit: () => void;
  submit: SubmitSpec;
  children: ReactNode;
}) {
  return (
    <Form className="card form-row" testId={testId} label={label} onSubmit={onSubmit}>
      {children}
      <SubmitButton {...submit} />
    </Form>
  );
}
