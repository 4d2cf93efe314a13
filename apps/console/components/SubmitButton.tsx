/**
 * The submit button of every console form (dialogs, inline forms above a list, sign-in): its tone,
 * disabled while the request is in flight, with another label meanwhile when one is given.
 */
"use client";

export interface SubmitSpec {
  label: string;
  /** shown while `pending` */
  pendingLabel?: string;
  pending: boolean;
  disabled?: boolean;
  /** why it is disabled */
  title?: string | undefined;
  /** "plain" is the neutral button (the user menu's Change password beside Sign out) */
  tone?: "primary" | "danger" | "plain";
  testId?: string;
}

const TONES = { primary: "btn btn-primary", danger: "btn btn-danger", plain: "btn" } as const;

export function SubmitButton({ label, pendingLabel, pending, disabled, title, tone = "primary", testId }: SubmitSpec) {
  return (
    <button type="submit" className={TONES[tone]} data-testid={testId} disabled={disabled || pending} title={title}>
      {pending && pendingLabel ? pendingLabel : label}
    </button>
  );
}
