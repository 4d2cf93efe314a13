/** A failed query or mutation as a readable alert panel (the server's message, never a stack); nothing when there is no error. */
import { errorMessage } from "../lib/errors.ts";

export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div className="panel-error" role="alert">
      {errorMessage(error)}
    </div>
  );
}
