/**
 * A one-row form in a card above a list (new user, new API token): inputs wrap onto more lines
 * on a narrow screen; submitting never reloads the page.
 */
"use client";
import type { ReactNode } from "react";
import "./InlineForm.css";

export function InlineForm({
  testId,
  label,
  onSubmit,
  children,
}: {
  testId: string;
  label: string;
  onSubmit: () => void;
  children: ReactNode;
}) {
  return (
    <form
      className="card form-row"
      data-testid={testId}
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}
