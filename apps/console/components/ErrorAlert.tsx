/** A failed query or mutation, readable (the server's message, never a stack); nothing when there is no error. */
import { errorMessage } from "../lib/errors.ts";

/** As a panel on a page. */
export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div className="panel-error" role="alert">
      {errorMessage(error)}
    </div>
  );
}

/** As a line in a small form (sign-in, change password), above its button. */
export function FormError({ error, testId }: { error: unknown; testId?: string }) {
  if (!error) return null;
  return (
    <p className="refused" role="alert" data-testid={testId}>
      {errorMessage(error)}
    </p>
  );
}
